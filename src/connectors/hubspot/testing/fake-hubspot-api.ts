import { RecordingHttpServer, type FakeHandler, type FakeResponse, type RecordedRequest } from '../../../../test/support/recording-http-server.js';

interface StoredObject {
  id: string;
  properties: Record<string, string>;
  associations?: unknown;
}

/**
 * HubSpot CRM v3 stand-in reached through @hubspot/api-client's `basePath`: contact search and
 * create (409 with "Existing ID" for a known e-mail, like HubSpot) and update, deal create and deal search
 * (CONTAINS_TOKEN); bearer token checked.
 */
export class FakeHubSpotApi {
  readonly contacts: StoredObject[] = [];
  readonly deals: StoredObject[] = [];
  /** Makes contact and deal search find nothing, as HubSpot's eventually consistent search does right after a write. */
  searchLags = false;
  /** The next N deal creates are carried out but answered 502, as if the answer were lost after HubSpot acted. */
  failAfterCreate = 0;
  /** Set: a deal create is carried out, then its answer waits for this promise (a worker can die meanwhile). */
  holdCreateAnswer: Promise<unknown> | null = null;
  private seq = 100;

  private constructor(
    readonly server: RecordingHttpServer,
    private readonly token: string,
  ) {}

  static async start(token: string): Promise<FakeHubSpotApi> {
    let fake: FakeHubSpotApi | undefined;
    const server = await RecordingHttpServer.start((req) => fake!.crm(req));
    fake = new FakeHubSpotApi(server, token);
    return fake;
  }

  /** The value for HUBSPOT_API_URL. */
  get apiUrl(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  answer(response: FakeResponse | FakeHandler): void {
    this.server.respondWith(typeof response === 'function' ? response : () => response);
  }

  reset(): void {
    this.contacts.length = 0;
    this.deals.length = 0;
    this.searchLags = false;
    this.failAfterCreate = 0;
    this.holdCreateAnswer = null;
    this.server.reset((req) => this.crm(req));
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async crm(req: RecordedRequest): Promise<FakeResponse> {
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return { status: 401, body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' } };
    }
    const body = req.body ? (JSON.parse(req.body) as Record<string, any>) : {};
    const route = `${req.method} ${req.path}`;
    if (route === 'POST /crm/v3/objects/contacts/search') {
      const email = body.filterGroups?.[0]?.filters?.[0]?.value as string | undefined;
      const results = this.searchLags ? [] : this.contacts.filter((c) => c.properties.email === email).map(toPublic);
      return { status: 200, body: { total: results.length, results } };
    }
    if (route === 'POST /crm/v3/objects/deals/search') {
      // CONTAINS_TOKEN on one property: the value as a whole word of it.
      const filter = body.filterGroups?.[0]?.filters?.[0] as { propertyName: string; operator: string; value: string } | undefined;
      const hasWord = (text: unknown) => typeof text === 'string' && text.split(/[^A-Za-z0-9]+/).includes(filter?.value ?? '');
      const results =
        this.searchLags || filter?.operator !== 'CONTAINS_TOKEN' ? [] : this.deals.filter((d) => hasWord(d.properties[filter.propertyName])).map(toPublic);
      return { status: 200, body: { total: results.length, results } };
    }
    if (route === 'POST /crm/v3/objects/contacts') {
      const existing = this.contacts.find((c) => c.properties.email === body.properties?.email);
      if (existing) {
        return { status: 409, body: { status: 'error', message: `Contact already exists. Existing ID: ${existing.id}`, category: 'CONFLICT' } };
      }
      return { status: 201, body: toPublic(this.store(this.contacts, body)) };
    }
    const update = /^PATCH \/crm\/v3\/objects\/contacts\/(\w+)$/.exec(route);
    if (update) {
      const contact = this.contacts.find((c) => c.id === update[1]);
      if (!contact) return { status: 404, body: { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' } };
      Object.assign(contact.properties, body.properties ?? {});
      return { status: 200, body: toPublic(contact) };
    }
    if (route === 'POST /crm/v3/objects/deals') {
      if (!body.properties?.dealname) {
        return { status: 400, body: { status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR' } };
      }
      const deal = this.store(this.deals, body);
      if (this.holdCreateAnswer) await this.holdCreateAnswer;
      // A create HubSpot carried out whose answer never arrived (a crash or cut connection right after).
      if (this.failAfterCreate > 0) {
        this.failAfterCreate--;
        return { status: 502, body: { status: 'error', message: 'Bad gateway (after the deal was created)', category: 'BAD_GATEWAY' } };
      }
      return { status: 201, body: toPublic(deal) };
    }
    return { status: 404, body: { status: 'error', message: `no route ${route}`, category: 'OBJECT_NOT_FOUND' } };
  }

  private store(list: StoredObject[], body: Record<string, any>): StoredObject {
    this.seq += 1;
    const object = { id: String(this.seq), properties: body.properties ?? {}, associations: body.associations };
    list.push(object);
    return object;
  }
}

function toPublic(object: StoredObject) {
  const now = new Date().toISOString();
  return { id: object.id, properties: object.properties, createdAt: now, updatedAt: now, archived: false };
}
