import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, request, type Dispatcher } from 'undici';

/** Resolves a host name to all its addresses (the default is the system resolver, `dns.lookup(..., { all: true })`). */
export type HostResolver = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export interface SafeWebFetcherOptions {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** Replaces the system resolver (tests: a host name that resolves to a private address). */
  resolve?: HostResolver;
  /**
   * TEST ONLY. `host:port` pairs fetched without the address check (a local site standing in for a
   * public one). Never set from configuration; empty by default.
   */
  testOnlyAllowedHosts?: readonly string[];
}

export interface FetchedPage {
  /** The URL finally fetched, after redirects. */
  url: string;
  status: number;
  contentType: string;
  body: string;
  /** True when the page was longer than maxBytes and was cut there. */
  truncated: boolean;
}

/** A fetch refused (an address or scheme that is not allowed) or failed (timeout, HTTP error): never thrown past `fetch`'s caller unclassified. */
export class WebFetchError extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
  ) {
    super(message);
    this.name = 'WebFetchError';
  }
}

const PAGE_TYPES = /^(text\/html|application\/xhtml\+xml|text\/plain)\b/i;

/**
 * Fetches a URL from an untrusted source without letting it reach the network Hookwise runs in
 * (SSRF): http/https only; the host's addresses are resolved and the fetch refused when any of
 * them is not public unicast (loopback, private, link-local with the cloud metadata address,
 * multicast, reserved… as ipaddr.js classifies them); the check happens inside the connection's
 * own lookup, so the socket connects to the address just checked (no DNS rebinding between check
 * and connect); every redirect is checked the same way (at most `maxRedirects`); the whole fetch
 * gets `timeoutMs` and the body is cut at `maxBytes`.
 */
export class SafeWebFetcher {
  private readonly resolve: HostResolver;
  private readonly guarded: Agent;
  private readonly unguarded: Agent | null;
  private readonly allowed: ReadonlySet<string>;

  constructor(private readonly options: SafeWebFetcherOptions) {
    this.resolve = options.resolve ?? ((hostname) => dnsLookup(hostname, { all: true, verbatim: true }));
    this.allowed = new Set((options.testOnlyAllowedHosts ?? []).map((h) => h.toLowerCase()));
    this.guarded = new Agent({ connect: { lookup: this.checkedLookup() }, connections: 4 });
    this.unguarded = this.allowed.size ? new Agent({ connections: 2 }) : null;
  }

  async fetch(url: string): Promise<FetchedPage> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let current = parseUrl(url);
    for (let hop = 0; ; hop++) {
      const dispatcher = this.dispatcherFor(current);
      let response: Dispatcher.ResponseData;
      try {
        response = await request(current, {
          method: 'GET',
          dispatcher,
          signal,
          headers: { accept: 'text/html,application/xhtml+xml,text/plain;q=0.9', 'user-agent': 'Hookwise-Research/1.0' },
        });
      } catch (err) {
        throw this.failure(err, signal);
      }
      const location = response.headers.location;
      if (response.statusCode >= 300 && response.statusCode < 400 && location) {
        await response.body.dump().catch(() => undefined);
        if (hop >= this.options.maxRedirects) throw new WebFetchError(`more than ${this.options.maxRedirects} redirects`, true);
        current = parseUrl(String(location), current);
        continue;
      }
      if (response.statusCode >= 400) {
        await response.body.dump().catch(() => undefined);
        throw new WebFetchError(`HTTP ${response.statusCode} from ${current.host}`, false);
      }
      const contentType = String(response.headers['content-type'] ?? '');
      if (!PAGE_TYPES.test(contentType)) {
        await response.body.dump().catch(() => undefined);
        throw new WebFetchError(`not a web page (content type ${contentType || 'missing'})`, false);
      }
      const { body, truncated } = await this.readCapped(response.body, signal);
      return { url: current.toString(), status: response.statusCode, contentType, body, truncated };
    }
  }

  async close(): Promise<void> {
    await this.guarded.close();
    await this.unguarded?.close();
  }

  /** The agent for a URL: literal addresses are checked here (no lookup happens for them), names in the connection's lookup. */
  private dispatcherFor(url: URL): Agent {
    if (this.unguarded && this.allowed.has(`${url.hostname}:${effectivePort(url)}`.toLowerCase())) return this.unguarded;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const refusal = refusalOf(host);
      if (refusal) throw new WebFetchError(`${host} is ${refusal}: refused`, true);
    }
    return this.guarded;
  }

  /** net.connect's lookup: resolve, refuse when any address is not public, hand back exactly the addresses checked. */
  private checkedLookup(): LookupFunction {
    return (hostname, opts, callback) => {
      const family = opts?.family === 'IPv6' ? 6 : opts?.family === 'IPv4' ? 4 : opts?.family;
      this.resolve(hostname).then(
        (addresses) => {
          if (addresses.length === 0) return callback(new WebFetchError(`${hostname} has no address`, false), '', 0);
          for (const { address } of addresses) {
            const refusal = refusalOf(address);
            if (refusal) return callback(new WebFetchError(`${hostname} resolves to ${address}, ${refusal}: refused`, true), '', 0);
          }
          const list: LookupAddress[] = addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
          // With `all` (Node's autoSelectFamily asks for it) the callback takes the list.
          if ((opts as { all?: boolean })?.all) return (callback as unknown as (err: null, list: LookupAddress[]) => void)(null, list);
          const chosen = list.find((a) => !family || a.family === family) ?? list[0];
          return callback(null, chosen.address, chosen.family);
        },
        (err: Error) => callback(new WebFetchError(`${hostname} could not be resolved (${(err as NodeJS.ErrnoException).code ?? err.message})`, false), '', 0),
      );
    };
  }

  private async readCapped(body: Dispatcher.ResponseData['body'], signal: AbortSignal): Promise<{ body: string; truncated: boolean }> {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    try {
      for await (const chunk of body) {
        const buffer = Buffer.from(chunk as Uint8Array);
        if (size + buffer.length > this.options.maxBytes) {
          chunks.push(buffer.subarray(0, this.options.maxBytes - size));
          size = this.options.maxBytes;
          truncated = true;
          break;
        }
        chunks.push(buffer);
        size += buffer.length;
      }
    } catch (err) {
      throw this.failure(err, signal);
    } finally {
      if (truncated) body.destroy();
    }
    return { body: Buffer.concat(chunks).toString('utf8'), truncated };
  }

  private failure(err: unknown, signal: AbortSignal): WebFetchError {
    if (err instanceof WebFetchError) return err;
    for (let cause: unknown = err; cause; cause = (cause as { cause?: unknown }).cause) {
      if (cause instanceof WebFetchError) return cause;
    }
    if (signal.aborted) return new WebFetchError(`no complete answer within ${this.options.timeoutMs} ms`, false);
    const code = (err as { code?: string }).code;
    return new WebFetchError(`fetch failed (${code ?? (err as Error)?.message ?? String(err)})`, false);
  }
}

function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new WebFetchError(`not a URL: ${text.slice(0, 200)}`, true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebFetchError(`only http and https are fetched, not ${url.protocol}`, true);
  if (url.username || url.password) throw new WebFetchError('URLs with credentials are not fetched', true);
  return url;
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Why an address may not be fetched (its ipaddr.js range), or null for a public unicast address. */
export function refusalOf(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'not an IP address';
  }
  // ::ffff:10.0.0.5 is 10.0.0.5.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? null : `a ${range} address`;
}
