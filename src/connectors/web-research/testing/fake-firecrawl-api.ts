import { RecordingHttpServer, type FakeResponse, type RecordedRequest } from '../../../../test/support/recording-http-server.js';

/** Firecrawl v1 stand-in (`POST /v1/scrape`), reached through @mendable/firecrawl-js's `apiUrl`; bearer key checked. */
export class FakeFirecrawlApi {
  /** The markdown returned for any URL. */
  markdown = '# Acme Robotics\n\nWarehouse automation for logistics companies.';

  private constructor(
    readonly server: RecordingHttpServer,
    private readonly key: string,
  ) {}

  static async start(key: string): Promise<FakeFirecrawlApi> {
    let fake: FakeFirecrawlApi | undefined;
    const server = await RecordingHttpServer.start((req) => fake!.scrape(req));
    fake = new FakeFirecrawlApi(server, key);
    return fake;
  }

  /** The value for FIRECRAWL_API_URL. */
  get apiUrl(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private scrape(req: RecordedRequest): FakeResponse {
    if (req.headers.authorization !== `Bearer ${this.key}`) return { status: 401, body: { success: false, error: 'Unauthorized: Invalid token' } };
    if (`${req.method} ${req.path}` !== 'POST /v1/scrape') return { status: 404, body: { success: false, error: 'not found' } };
    const { url } = JSON.parse(req.body) as { url: string };
    return { status: 200, body: { success: true, data: { markdown: this.markdown, metadata: { sourceURL: url, statusCode: 200 } } } };
  }
}
