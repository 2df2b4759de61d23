import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small company website on 127.0.0.1, standing in for a public one (reached only through the
 * fetcher's test-only allowance): `/` an HTML page, `/big` a page larger than any limit, `/slow` a
 * page that never finishes, `/redirect?to=…` a 302, `/image` a non-page.
 */
export class LocalSite {
  readonly hits: string[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<LocalSite> {
    let site: LocalSite | undefined;
    const server = createServer((req, res) => site!.serve(req.url ?? '/', res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    site = new LocalSite(server);
    return site;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `127.0.0.1:<port>`, for testOnlyAllowedHosts. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get url(): string {
    return `http://${this.host}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(url: string, res: ServerResponse): void {
    this.hits.push(url);
    const { pathname, searchParams } = new URL(url, 'http://site');
    if (pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Acme Robotics</title><style>body{color:red}</style><script>var tracking = 1;</script></head>
<body><nav><a href="/pricing">Pricing</a></nav><h1>Acme Robotics</h1><p>Warehouse automation for <b>500+</b> logistics companies.</p>
<img src="logo.png" alt="logo"><p>Founded 2015 &amp; 1,200 employees in 14 countries.</p></body></html>`);
      return;
    }
    if (pathname === '/big') {
      res.writeHead(200, { 'content-type': 'text/html' });
      const paragraph = `<p>${'lorem ipsum '.repeat(80)}</p>\n`;
      for (let i = 0; i < 3000; i++) res.write(paragraph); // ~2.9 MB
      res.end();
      return;
    }
    if (pathname === '/slow') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<p>loading');
      return; // never ends
    }
    if (pathname === '/redirect') {
      res.writeHead(302, { location: searchParams.get('to') ?? '/' });
      res.end();
      return;
    }
    if (pathname === '/image') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.alloc(10));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<p>not found</p>');
  }
}
