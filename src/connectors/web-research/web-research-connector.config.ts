import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { Setting, SettingsGroup } from '../../config/setting.decorator.js';
import { ByteSize, IsHttpUrl, toInt } from '../../config/setting-values.js';

/** Settings of the web research connector (WebResearchConnector): the SSRF-guarded fetcher's limits, and Firecrawl. */
@SettingsGroup(
  'Web research connector',
  'Reading a web page named by untrusted input (a company website from a form) for an agent: fetched directly behind an SSRF guard, or through Firecrawl.',
)
export class WebResearchConnectorConfig {
  @Setting({ description: 'Longest a research fetch may take, redirects and body included; a slower page counts as unavailable.' })
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEB_RESEARCH_TIMEOUT_MS = 5_000;

  @Setting({ description: 'Largest page body read; a longer page is cut there.' })
  @ByteSize()
  @IsInt()
  @Min(1024)
  WEB_RESEARCH_MAX_BYTES = 1_000_000;

  @Setting({ description: 'Redirects followed per fetch (each one checked like the first URL).' })
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  WEB_RESEARCH_MAX_REDIRECTS = 3;

  @Setting({ description: "Largest readable text (in bytes) handed to an agent from one page; the rest is cut and the agent told so." })
  @ByteSize()
  @IsInt()
  @Min(256)
  WEB_RESEARCH_MAX_TEXT_BYTES = 20_000;

  @Setting({ secret: true, description: 'Firecrawl API key (fc-…). Set: pages are read through Firecrawl (@mendable/firecrawl-js) instead of fetched directly.' })
  @IsOptional()
  @IsString()
  FIRECRAWL_API_KEY?: string;

  @Setting({ description: 'Base URL of the Firecrawl API.' })
  @IsHttpUrl()
  FIRECRAWL_API_URL = 'https://api.firecrawl.dev';
}
