import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, settingsOf } from '../../config/load-config.js';
import { refusalOf, SafeWebFetcher } from './safe-web-fetcher.js';
import { FakeFirecrawlApi } from './testing/fake-firecrawl-api.js';
import { LocalSite } from './testing/local-site.js';
import { WebResearchConnector, type WebResearchTestOptions } from './web-research.connector.js';
import { WebResearchConnectorConfig } from './web-research-connector.config.js';

const FIRECRAWL_KEY = 'fc-s3cr3t-firecrawl-key-0000';

function connector(env: Record<string, string> = {}, options: WebResearchTestOptions = {}) {
  const settings = settingsOf(loadConfig(env, [WebResearchConnectorConfig]), WebResearchConnectorConfig);
  return new WebResearchConnector(settings, options);
}

/** A resolver standing in for DNS: names of our choosing to addresses of our choosing. */
const resolver = (table: Record<string, string>) => async (hostname: string) => {
  const address = table[hostname];
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

describe('web research: the SSRF-guarded fetcher', () => {
  let site: LocalSite;
  let research: WebResearchConnector;
  let guardedOnly: WebResearchConnector;

  beforeAll(async () => {
    site = await LocalSite.start();
    const resolve = resolver({ 'intranet.acme.test': '10.0.0.5', 'metadata.acme.test': '169.254.169.254', 'v6.acme.test': '::1', 'mapped.acme.test': '::ffff:192.168.1.10' });
    research = connector({ WEB_RESEARCH_TIMEOUT_MS: '1500', WEB_RESEARCH_MAX_BYTES: '64kb' }, { resolve, testOnlyAllowedHosts: [site.host] });
    guardedOnly = connector({}, { resolve });
  });
  afterAll(async () => {
    await research?.onModuleDestroy();
    await guardedOnly?.onModuleDestroy();
    await site?.close();
  });

  it('reads a public-looking site (allowed for the test) as readable text, without scripts, styles, links or images', async () => {
    const result = await research.research(`${site.url}/`);
    expect(result).toMatchObject({ available: true, source: 'fetch', url: `${site.url}/`, truncated: false });
    if (!result.available) throw new Error('unavailable');
    expect(result.text).toContain('ACME ROBOTICS');
    expect(result.text).toContain('Warehouse automation for 500+ logistics companies.');
    expect(result.text).toContain('Founded 2015 & 1,200 employees in 14 countries.');
    expect(result.text).not.toMatch(/tracking|color:red|logo\.png|\/pricing/);
  });

  it.each([
    ['http://127.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://10.0.0.5/admin', '10.0.0.5 is a private address'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a linkLocal address'],
    ['http://[::1]:8080/', '::1 is a loopback address'],
    ['http://0.0.0.0/', '0.0.0.0 is a unspecified address'],
    ['http://224.0.0.1/', '224.0.0.1 is a multicast address'],
    ['http://[fd00::1]/', 'fd00::1 is a uniqueLocal address'],
    ['http://[::ffff:10.0.0.5]/', 'is a private address'],
    ['http://intranet.acme.test/', 'intranet.acme.test resolves to 10.0.0.5, a private address: refused'],
    ['http://metadata.acme.test/', 'resolves to 169.254.169.254, a linkLocal address'],
    ['http://v6.acme.test/', 'resolves to ::1, a loopback address'],
    ['http://mapped.acme.test/', 'resolves to ::ffff:192.168.1.10, a private address'],
    ['file:///etc/passwd', 'only http and https are fetched, not file:'],
    ['gopher://intranet.acme.test/', 'only http and https are fetched'],
    ['http://user:pw@example.com/', 'URLs with credentials are not fetched'],
  ])('refuses %s', async (url, reason) => {
    const result = await guardedOnly.research(url);
    expect(result.available).toBe(false);
    if (result.available) return;
    expect(result.reason).toContain(reason);
  });

  it('refuses the loopback site itself without the test-only allowance (it is off by default)', async () => {
    const result = await guardedOnly.research(`${site.url}/`);
    expect(result).toMatchObject({ available: false, reason: expect.stringContaining('127.0.0.1 is a loopback address') });
    const before = site.hits.length;
    await guardedOnly.research(`http://localhost:${site.port}/`); // through the (injected) resolver: not in its table
    expect(site.hits.length).toBe(before);
  });

  it('checks every redirect: an allowed host redirecting to a private one is refused', async () => {
    for (const to of ['http://169.254.169.254/latest/meta-data/iam', 'http://intranet.acme.test/', `http://127.0.0.2:${site.port}/`, 'file:///etc/passwd']) {
      const result = await research.research(`${site.url}/redirect?to=${encodeURIComponent(to)}`);
      expect(result, to).toMatchObject({ available: false, reason: expect.stringMatching(/refused|only http/) });
    }
    // A redirect that stays on the allowed host is followed.
    expect(await research.research(`${site.url}/redirect?to=/`)).toMatchObject({ available: true, url: `${site.url}/` });
  });

  it('follows at most 3 redirects', async () => {
    let url = `${site.url}/`;
    for (let i = 0; i < 4; i++) url = `${site.url}/redirect?to=${encodeURIComponent(url)}`;
    expect(await research.research(url)).toMatchObject({ available: false, reason: 'more than 3 redirects' });
    const three = url.slice(`${site.url}/redirect?to=`.length);
    expect(await research.research(decodeURIComponent(three))).toMatchObject({ available: true });
  });

  it('cuts an oversize page at WEB_RESEARCH_MAX_BYTES and says so', async () => {
    const result = await research.research(`${site.url}/big`);
    expect(result).toMatchObject({ available: true, truncated: true });
    if (!result.available) return;
    expect(Buffer.byteLength(result.text)).toBeLessThanOrEqual(20_000);
    expect(Buffer.byteLength(result.text)).toBeGreaterThan(10_000);
  });

  it('gives up on a page that does not finish within WEB_RESEARCH_TIMEOUT_MS', async () => {
    const started = Date.now();
    const result = await research.research(`${site.url}/slow`);
    expect(result).toMatchObject({ available: false, reason: 'no complete answer within 1500 ms' });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('reports HTTP errors and non-pages as unavailable', async () => {
    expect(await research.research(`${site.url}/missing`)).toMatchObject({ available: false, reason: `HTTP 404 from ${site.host}` });
    expect(await research.research(`${site.url}/image`)).toMatchObject({ available: false, reason: 'not a web page (content type image/png)' });
  });

  it('classifies addresses with ipaddr.js: only public unicast passes', () => {
    expect(refusalOf('93.184.216.34')).toBeNull();
    expect(refusalOf('2606:2800:220:1:248:1893:25c8:1946')).toBeNull();
    expect(refusalOf('100.64.0.1')).toBe('a carrierGradeNat address');
    expect(refusalOf('192.0.2.1')).toBe('a reserved address');
    expect(refusalOf('fe80::1')).toBe('a linkLocal address');
  });

  it('the fetcher connects to the address it checked: a name the lookup refuses is never connected to', async () => {
    const fetcher = new SafeWebFetcher({ timeoutMs: 1000, maxBytes: 1000, maxRedirects: 0, resolve: resolver({ 'site.acme.test': '127.0.0.1' }) });
    try {
      const before = site.hits.length;
      await expect(fetcher.fetch(`http://site.acme.test:${site.port}/`)).rejects.toThrow('site.acme.test resolves to 127.0.0.1, a loopback address: refused');
      expect(site.hits.length).toBe(before);
    } finally {
      await fetcher.close();
    }
  });
});

describe('web research through Firecrawl (FIRECRAWL_API_KEY set)', () => {
  let firecrawl: FakeFirecrawlApi;

  beforeAll(async () => {
    firecrawl = await FakeFirecrawlApi.start(FIRECRAWL_KEY);
  });
  afterAll(() => firecrawl?.stop());

  it('reads the page through @mendable/firecrawl-js at FIRECRAWL_API_URL, with the key', async () => {
    const research = connector({ FIRECRAWL_API_KEY: FIRECRAWL_KEY, FIRECRAWL_API_URL: firecrawl.apiUrl });
    const result = await research.research('acme-robotics.example');
    expect(result).toEqual({ available: true, source: 'firecrawl', url: 'https://acme-robotics.example', text: firecrawl.markdown, truncated: false });
    expect(firecrawl.requests).toHaveLength(1);
    expect(JSON.parse(firecrawl.requests[0].body)).toMatchObject({ url: 'https://acme-robotics.example', formats: ['markdown'] });
    await research.onModuleDestroy();
  });

  it('a Firecrawl failure is research unavailable, without the key', async () => {
    const research = connector({ FIRECRAWL_API_KEY: 'fc-wrong-key-1234', FIRECRAWL_API_URL: firecrawl.apiUrl });
    const result = await research.research('https://acme-robotics.example');
    expect(result.available).toBe(false);
    if (result.available) return;
    expect(result.reason).toMatch(/401|Unauthorized/);
    expect(result.reason).not.toContain('fc-wrong-key-1234');
    expect(await research.research('ftp://acme-robotics.example')).toMatchObject({ available: false, reason: 'only http and https are fetched' });
    await research.onModuleDestroy();
  });
});
