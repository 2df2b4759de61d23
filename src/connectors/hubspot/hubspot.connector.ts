import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@hubspot/api-client';
import type { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/models/Filter.js';
import type { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/deals/models/AssociationSpec.js';
import { AppConfig } from '../../config/env.schema.js';
import { secretValuesOf } from '../../config/settings-reference.js';
import { HubSpotConnectorConfig } from './hubspot-connector.config.js';
import { ACTION_KEY_PROPERTY, ActionKeyPropertySetupError, ensureActionKeyProperty } from './hubspot-action-key-property.js';
import { type ActionAttempt, connectorError, connectorRateLimited, idempotencyKeyDigest, isPermanentHttpStatus, rateLimitPauseMs, redactSecrets } from '../../core/index.js';

/** HubSpot's longest burst window (TEN_SECONDLY_ROLLING): the wait after a 429 that names none. */
const HUBSPOT_RATE_LIMIT_WINDOW_MS = 10_000;

export interface NewHubSpotDeal {
  name: string;
  /** Omitted: the deal has no amount. */
  amount?: number;
  /** Internal id of the pipeline stage, e.g. appointmentscheduled or closedwon. */
  stage: string;
  pipeline: string;
  contactEmail?: string;
  /** Set on the contact, whether it is created or found (HubSpot's `company` and `website` properties). */
  contactProperties?: { company?: string; website?: string };
  /** Shown on the deal. */
  description?: string;
}

export interface CreatedHubSpotDeal {
  id: string;
  name: string;
  stage: string;
  contact_id?: string;
  /** True when the contact did not exist and was created for this deal. */
  contact_created?: boolean;
  /** True when an earlier attempt of this same action had already created the deal. */
  already_existed: boolean;
}

/** HubSpot's built-in deal → contact association type. */
const DEAL_TO_CONTACT = 3;

/** Creates deals (and links a contact by e-mail) with @hubspot/api-client against HUBSPOT_API_URL. */
@Injectable()
export class HubSpotConnector {
  private client: Client | null = null;
  private actionKeyProperty: Promise<void> | null = null;

  constructor(
    @Inject(HubSpotConnectorConfig) private readonly settings: HubSpotConnectorConfig,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  unavailableReason(): string | null {
    return this.settings.HUBSPOT_TOKEN ? null : 'HUBSPOT_TOKEN is not set';
  }

  /**
   * HubSpot has no idempotency keys: the deal carries the action's key in its own property with
   * unique values (ACTION_KEY_PROPERTY, created in the portal on first use). A retried action (one
   * that failed or was cut off, perhaps after HubSpot created the deal) first reads the deal by that
   * property, a direct read that sees a deal as soon as it exists (the search API trails writes by
   * seconds and is not used for this). Should a create still meet the earlier deal (HubSpot refuses a
   * second deal with the same key: 409), the earlier deal is read and returned.
   */
  async createDeal(deal: NewHubSpotDeal, action: ActionAttempt): Promise<CreatedHubSpotDeal> {
    const reason = this.unavailableReason();
    if (reason) throw connectorError('hubspot', reason, { permanent: true, secrets: [] });
    await this.actionKeyPropertyReady();
    const key = `hookwise${idempotencyKeyDigest(action.idempotencyKey)}`;
    if (action.retried) {
      const earlier = await this.call('deal lookup', () => this.dealByActionKey(key));
      if (earlier) return { id: earlier, name: deal.name, stage: deal.stage, already_existed: true };
    }
    const contact = deal.contactEmail
      ? await this.call('contact lookup', () => this.upsertContact(deal.contactEmail!, definedOnly(deal.contactProperties ?? {})))
      : undefined;
    const created = await this.call('deal create', async () => {
      try {
        const made = await (await this.hubspot()).crm.deals.basicApi.create({
          properties: {
            dealname: deal.name,
            ...(deal.amount === undefined ? {} : { amount: String(deal.amount) }),
            dealstage: deal.stage,
            pipeline: deal.pipeline,
            ...(deal.description ? { description: deal.description } : {}),
            [ACTION_KEY_PROPERTY]: key,
          },
          associations: contact
            ? [
                {
                  to: { id: contact.id },
                  types: [{ associationCategory: 'HUBSPOT_DEFINED' as AssociationSpecAssociationCategoryEnum, associationTypeId: DEAL_TO_CONTACT }],
                },
              ]
            : [],
        });
        return { id: made.id, existed: false };
      } catch (err) {
        if (!isUniqueValueConflict(err)) throw err;
        // A failed read is thrown as itself (a network failure stays transient); no deal by the key: the refusal stands.
        const earlier = await this.dealByActionKey(key);
        if (!earlier) throw err;
        return { id: earlier, existed: true };
      }
    });
    return {
      id: created.id,
      name: deal.name,
      stage: deal.stage,
      ...(contact ? { contact_id: contact.id, contact_created: contact.created } : {}),
      already_existed: created.existed,
    };
  }

  /**
   * Once per process: the portal has the action-key property with unique values (created if it is
   * missing). A failure is not remembered, so the next action checks again.
   */
  private actionKeyPropertyReady(): Promise<void> {
    this.actionKeyProperty ??= this.call('deal property check', async () => ensureActionKeyProperty(await this.hubspot())).catch((err: unknown) => {
      this.actionKeyProperty = null;
      throw err;
    });
    return this.actionKeyProperty;
  }

  /** The id of the deal whose action-key property is `key`, or null: a read by unique value, strongly consistent. */
  private async dealByActionKey(key: string): Promise<string | null> {
    try {
      const found = await (await this.hubspot()).crm.deals.basicApi.getById(key, ['dealname'], undefined, undefined, false, ACTION_KEY_PROPERTY);
      return found.id;
    } catch (err) {
      if (apiStatus(err) === 404) return null;
      throw err;
    }
  }

  /**
   * The contact with this e-mail, created or updated with `properties` (idempotent by nature: the
   * e-mail is unique in HubSpot, and setting the same properties again changes nothing).
   */
  private async upsertContact(email: string, properties: Record<string, string>): Promise<{ id: string; created: boolean }> {
    const crm = (await this.hubspot()).crm.contacts;
    const found = await crm.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as FilterOperatorEnum, value: email }] }],
      properties: ['email'],
      limit: 1,
    });
    let existing: string | undefined = found.results[0]?.id;
    if (!existing) {
      try {
        const contact = await crm.basicApi.create({ properties: { email, ...properties }, associations: [] });
        return { id: contact.id, created: true };
      } catch (err) {
        // Search is eventually consistent: a contact created moments ago answers 409 "Existing ID: 123".
        existing = apiStatus(err) === 409 ? /Existing ID: (\d+)/.exec(apiMessage(err))?.[1] : undefined;
        if (!existing) throw err;
      }
    }
    if (Object.keys(properties).length) await crm.basicApi.update(existing, { properties });
    return { id: existing, created: false };
  }

  /**
   * The client has no timeout and takes no abort signal: a HubSpot that never answers would hold the
   * job forever, so the call is given up after CONNECTOR_TIMEOUT_MS (the retry looks for the deal first).
   */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      const timeoutMs = this.config.CONNECTOR_TIMEOUT_MS;
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([fn(), deadline]);
    } catch (err) {
      throw this.classify(what, err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The SDK is imported on first use: it costs ~14 MB of memory in a process that may never call HubSpot. */
  private async hubspot(): Promise<Client> {
    if (this.client) return this.client;
    const { Client } = await import('@hubspot/api-client');
    // No numberOfApiCallRetries: the job queue owns retries.
    this.client ??= new Client({ accessToken: this.settings.HUBSPOT_TOKEN, basePath: this.settings.HUBSPOT_API_URL.replace(/\/+$/, '') });
    return this.client;
  }

  private classify(what: string, err: unknown): Error {
    const secrets = secretValuesOf(this.settings);
    if (err instanceof ActionKeyPropertySetupError) return connectorError('hubspot', err.message, { permanent: true, secrets });
    const status = apiStatus(err);
    if (status === undefined) {
      return connectorError('hubspot', `${what} failed: ${(err as Error)?.message ?? String(err)}`, { permanent: false, secrets });
    }
    // The client's own message embeds the response headers; keep only HubSpot's category and message.
    const detail = `${what} failed: HTTP ${status} ${apiMessage(err, secrets)}`.trim();
    if (status === 429) {
      // HubSpot's limits are per second and per 10 s, and its 429 rarely names a wait: 10 s covers both.
      const waitMs = rateLimitPauseMs((err as { headers?: Record<string, string | undefined> }).headers, { fallbackMs: HUBSPOT_RATE_LIMIT_WINDOW_MS });
      return connectorRateLimited('hubspot', detail, waitMs, secrets);
    }
    return connectorError('hubspot', detail, {
      permanent: isPermanentHttpStatus(status),
      secrets,
    });
  }
}

function definedOnly(properties: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * HubSpot refused the create because a deal already has this action key. HubSpot documents no body
 * for it: a 409 (CONFLICT), or a 400 validation error naming the property ("... already has that
 * value") as some portals answer; either way the caller reads the deal by key before believing it.
 */
function isUniqueValueConflict(err: unknown): boolean {
  const status = apiStatus(err);
  if (status === 409) return true;
  if (status !== 400) return false;
  const body = (err as { body?: unknown }).body;
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return text.includes(ACTION_KEY_PROPERTY) && /already|unique/i.test(text);
}

/** The HTTP status of an ApiException (each generated API has its own class, so this is duck-typed). */
function apiStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && code >= 100 && code < 600 ? code : undefined;
}

/** HubSpot's category and message; a text body is scrubbed of `secrets` before it is cut (a cut could halve one). */
function apiMessage(err: unknown, secrets: ReadonlyArray<string | undefined> = []): string {
  const body = (err as { body?: unknown }).body;
  if (body && typeof body === 'object') {
    const { category, message } = body as { category?: unknown; message?: unknown };
    return [category, message].filter((part) => typeof part === 'string').join(': ');
  }
  return typeof body === 'string' ? redactSecrets(body, secrets).slice(0, 300) : '';
}
