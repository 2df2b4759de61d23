import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type FirecrawlApp from '@mendable/firecrawl-js';
import { convert } from 'html-to-text';
import { redactSecrets, truncateUtf8 } from '../../core/index.js';
import { secretValuesOf } from '../../config/settings-reference.js';
import { SafeWebFetcher, WebFetchError, type SafeWebFetcherOptions } from './safe-web-fetcher.js';
import { WebResearchConnectorConfig } from './web-research-connector.config.js';

/** What an agent is told about a page: its readable text, or why there is none. Never thrown. */
export type WebResearch =
  | { available: true; url: string; source: 'fetch' | 'firecrawl'; text: string; truncated: boolean }
  | { available: false; url: string; reason: string };

/** Test-only options (never from configuration): see SafeWebFetcherOptions. */
export type WebResearchTestOptions = Pick<SafeWebFetcherOptions, 'resolve' | 'testOnlyAllowedHosts'>;

/**
 * Reads a web page for an agent. The URL comes from untrusted input, so a direct fetch goes
 * through SafeWebFetcher (SSRF guard, time and size limits) and HTML is reduced to text with
 * html-to-text; with FIRECRAWL_API_KEY set, Firecrawl reads the page instead. A refused or failed
 * read is an answer (`available: false` and why), not an error: research is optional.
 */
@Injectable()
export class WebResearchConnector implements OnModuleDestroy {
  private readonly fetcher: SafeWebFetcher;
  private firecrawl: FirecrawlApp | null = null;

  constructor(
    @Inject(WebResearchConnectorConfig) private readonly settings: WebResearchConnectorConfig,
    testOptions: WebResearchTestOptions = {},
  ) {
    this.fetcher = new SafeWebFetcher({
      timeoutMs: settings.WEB_RESEARCH_TIMEOUT_MS,
      maxBytes: settings.WEB_RESEARCH_MAX_BYTES,
      maxRedirects: settings.WEB_RESEARCH_MAX_REDIRECTS,
      ...testOptions,
    });
  }

  async research(url: string): Promise<WebResearch> {
    const target = withScheme(url);
    try {
      return this.settings.FIRECRAWL_API_KEY ? await this.throughFirecrawl(target) : await this.fetchDirectly(target);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return { available: false, url: target, reason: redactSecrets(message, secretValuesOf(this.settings)).slice(0, 500) };
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.fetcher.close();
  }

  private async fetchDirectly(url: string): Promise<WebResearch> {
    const page = await this.fetcher.fetch(url);
    const text = /html/i.test(page.contentType)
      ? convert(page.body, {
          wordwrap: false,
          selectors: [
            { selector: 'a', options: { ignoreHref: true } },
            { selector: 'img', format: 'skip' },
          ],
        })
      : page.body;
    return this.answer(page.url, 'fetch', text, page.truncated);
  }

  private async throughFirecrawl(url: string): Promise<WebResearch> {
    // Firecrawl fetches from its own network, not ours; the scheme is still checked.
    if (!/^https?:\/\//i.test(url)) throw new WebFetchError('only http and https are fetched', true);
    const app = await this.firecrawlClient();
    const timeout = this.settings.WEB_RESEARCH_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`firecrawl: no answer within ${timeout} ms`)), timeout);
    });
    try {
      const result = await Promise.race([app.scrapeUrl(url, { formats: ['markdown'], onlyMainContent: true, timeout }), deadline]);
      if (!result.success) throw new Error(`firecrawl: ${result.error ?? 'scrape failed'}`);
      return this.answer(result.metadata?.sourceURL ?? url, 'firecrawl', result.markdown ?? '', false);
    } finally {
      clearTimeout(timer);
    }
  }

  private answer(url: string, source: 'fetch' | 'firecrawl', text: string, cut: boolean): WebResearch {
    const readable = text.replace(/\n{3,}/g, '\n\n').trim();
    const limited = truncateUtf8(readable, this.settings.WEB_RESEARCH_MAX_TEXT_BYTES);
    return { available: true, url, source, text: limited.text, truncated: cut || limited.truncated };
  }

  private async firecrawlClient(): Promise<FirecrawlApp> {
    if (this.firecrawl) return this.firecrawl;
    const { default: Firecrawl } = await import('@mendable/firecrawl-js');
    this.firecrawl ??= new Firecrawl({ apiKey: this.settings.FIRECRAWL_API_KEY, apiUrl: this.settings.FIRECRAWL_API_URL.replace(/\/+$/, '') });
    return this.firecrawl;
  }
}

/** Forms often hold `acme.com`: read it as https. */
function withScheme(url: string): string {
  const trimmed = url.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
}
