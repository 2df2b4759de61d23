import { RecordingHttpServer, type FakeHandler, type FakeResponse, type RecordedRequest } from '../../../../test/support/recording-http-server.js';

interface StoredObject {
  id: string;
  properties: Record<string, string>;
  associations?: unknown;
  /** Date.now() of the write: search sees the object only searchLagMs later. */
  writtenAt: number;
}

/** A deal property definition, as the properties API takes and returns it. */
export interface DealPropertyDefinition {
  name: string;
  hasUniqueValue?: boolean;
  [field: string]: unknown;
}

/** The deal properties every portal has (a create naming another, undefined one is refused, as HubSpot does). */
const BUILT_IN_DEAL_PROPERTIES = new Set(['dealname', 'amount', 'dealstage', 'pipeline', 'description', 'closedate', 'dealtype', 'hubspot_owner_id']);

/**
 * HubSpot CRM v3 stand-in reached through @hubspot/api-client's `basePath`: contact search and
 * create (409 with "Existing ID" for a known e-mail, like HubSpot) and update; deal create (custom
 * properties must be defined; a value of a unique property that another deal has is refused with
 * 409), deal read by id or by a unique property (`?idProperty=`), deal search (CONTAINS_TOKEN); the
 * deal properties API (read and create); bearer token checked. Search can be made to lag behind
 * writes (`searchLagMs`), as HubSpot's eventually consistent search index does.
 */
export class FakeHubSpotApi {
  readonly contacts: StoredObject[] = [];
  readonly deals: StoredObject[] = [];
  /** Custom deal properties defined in the portal, by name. */
  readonly dealProperties = new Map<string, DealPropertyDefinition>();
  /** How long after a write search finds the object (HubSpot's index trails writes by seconds); Infinity: never. */
  searchLagMs = 0;
  /** The properties API answers 403 MISSING_SCOPES to a property create (a token without crm.schemas.deals.write). */
  propertyCreateForbidden = false;
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

  /**
   * Clears the records and the test switches. The portal's property definitions stay, as they would
   * in a real portal (and in the process that checked them once): clear `dealProperties` for a new portal.
   */
  reset(): void {
    this.contacts.length = 0;
    this.deals.length = 0;
    this.searchLagMs = 0;
    this.propertyCreateForbidden = false;
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
      const results = this.contacts.filter((c) => this.indexed(c) && c.properties.email === email).map(toPublic);
      return { status: 200, body: { total: results.length, results } };
    }
    if (route === 'POST /crm/v3/objects/deals/search') {
      // CONTAINS_TOKEN on one property: the value as a whole word of it.
      const filter = body.filterGroups?.[0]?.filters?.[0] as { propertyName: string; operator: string; value: string } | undefined;
      const hasWord = (text: unknown) => typeof text === 'string' && text.split(/[^A-Za-z0-9]+/).includes(filter?.value ?? '');
      const results =
        filter?.operator !== 'CONTAINS_TOKEN' ? [] : this.deals.filter((d) => this.indexed(d) && hasWord(d.properties[filter.propertyName])).map(toPublic);
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
    const property = /^(GET|POST) \/crm\/v3\/properties\/deals(?:\/(\w+))?$/.exec(route);
    if (property) return this.propertiesApi(property[1], property[2], body);
    const read = /^GET \/crm\/v3\/objects\/deals\/([^/]+)$/.exec(route);
    if (read) return this.readDeal(decodeURIComponent(read[1]), req.query.get('idProperty'));
    if (route === 'POST /crm/v3/objects/deals') {
      const properties = (body.properties ?? {}) as Record<string, string>;
      if (!properties.dealname) {
        return { status: 400, body: { status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR' } };
      }
      const unknown = Object.keys(properties).find((name) => !BUILT_IN_DEAL_PROPERTIES.has(name) && !this.dealProperties.has(name));
      if (unknown) {
        const message = `Property values were not valid: [{"isValid":false,"message":"Property \\"${unknown}\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"${unknown}"}]`;
        return { status: 400, body: { status: 'error', message, category: 'VALIDATION_ERROR' } };
      }
      for (const { name } of [...this.dealProperties.values()].filter((p) => p.hasUniqueValue)) {
        const holder = properties[name] === undefined ? undefined : this.deals.find((d) => d.properties[name] === properties[name]);
        if (holder) {
          return { status: 409, body: { status: 'error', message: `A deal with ${name}=${properties[name]} already exists. Existing ID: ${holder.id}`, category: 'CONFLICT' } };
        }
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

  /** `GET /crm/v3/objects/deals/<id>`, or `<value>?idProperty=<unique property>`: a direct read, never lagging. */
  private readDeal(id: string, idProperty: string | null): FakeResponse {
    if (idProperty && !this.dealProperties.get(idProperty)?.hasUniqueValue) {
      return { status: 400, body: { status: 'error', message: `Unable to perform read by non-unique property ${idProperty}`, category: 'VALIDATION_ERROR' } };
    }
    const deal = this.deals.find((d) => (idProperty ? d.properties[idProperty] === id : d.id === id));
    if (!deal) return { status: 404, body: { status: 'error', message: 'Object not found.  objectId are usually numeric.', category: 'OBJECT_NOT_FOUND' } };
    return { status: 200, body: toPublic(deal) };
  }

  /** `GET /crm/v3/properties/deals/<name>` and `POST /crm/v3/properties/deals`. */
  private propertiesApi(method: string, name: string | undefined, body: Record<string, any>): FakeResponse {
    if (method === 'GET' && name) {
      const found = this.dealProperties.get(name) ?? (BUILT_IN_DEAL_PROPERTIES.has(name) ? { name, hasUniqueValue: false } : undefined);
      if (!found) return { status: 404, body: { status: 'error', message: `Unable to find property ${name}`, category: 'OBJECT_NOT_FOUND' } };
      return { status: 200, body: { hasUniqueValue: false, ...found } };
    }
    if (method === 'POST' && !name) {
      if (this.propertyCreateForbidden) {
        return {
          status: 403,
          body: { status: 'error', message: "This app hasn't been granted all required scopes to make this call.", category: 'MISSING_SCOPES' },
        };
      }
      const created = body as DealPropertyDefinition;
      if (typeof created.name !== 'string' || !created.label || !created.groupName || !created.type || !created.fieldType) {
        return { status: 400, body: { status: 'error', message: 'Invalid input JSON', category: 'VALIDATION_ERROR' } };
      }
      if (this.dealProperties.has(created.name) || BUILT_IN_DEAL_PROPERTIES.has(created.name)) {
        return { status: 409, body: { status: 'error', message: `Property named '${created.name}' already exists.`, category: 'OBJECT_ALREADY_EXISTS' } };
      }
      this.dealProperties.set(created.name, { ...created });
      return { status: 201, body: { hasUniqueValue: false, ...created } };
    }
    return { status: 405, body: { status: 'error', message: `${method} not served by the stand-in`, category: 'VALIDATION_ERROR' } };
  }

  private indexed(object: StoredObject): boolean {
    return Date.now() - object.writtenAt >= this.searchLagMs;
  }

  private store(list: StoredObject[], body: Record<string, any>): StoredObject {
    this.seq += 1;
    const object = { id: String(this.seq), properties: body.properties ?? {}, associations: body.associations, writtenAt: Date.now() };
    list.push(object);
    return object;
  }
}

function toPublic(object: StoredObject) {
  const now = new Date().toISOString();
  return { id: object.id, properties: object.properties, createdAt: now, updatedAt: now, archived: false };
}
