import type { Client } from '@hubspot/api-client';
import type { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate.js';

/**
 * The custom deal property that carries the key of the action that created the deal. It has unique
 * values in the portal, so HubSpot itself refuses a second deal for the same action (409), and a deal
 * is read by it directly (`GET /crm/v3/objects/deals/<key>?idProperty=hookwise_action_key`), which,
 * unlike the search API, sees a deal the moment it is created.
 */
export const ACTION_KEY_PROPERTY = 'hookwise_action_key';

const DEFINITION = {
  name: ACTION_KEY_PROPERTY,
  label: 'Hookwise action key',
  description: 'Set by Hookwise on the deals it creates: the key of the action, so that a retried action finds its deal instead of creating another. Do not edit.',
  groupName: 'dealinformation',
  type: 'string' as PropertyCreateTypeEnum,
  fieldType: 'text' as PropertyCreateFieldTypeEnum,
  hasUniqueValue: true,
  formField: false,
};

/** The setup step, named in every error that needs it. */
export const ACTION_KEY_PROPERTY_SETUP =
  `create the deal property once (Settings → Properties → Deal properties: internal name ${ACTION_KEY_PROPERTY}, single-line text, ` +
  `"Require unique values for this property" on), or give the private app the crm.schemas.deals.write scope so Hookwise creates it`;

/** The portal cannot be made ready without a person: retrying cannot help. */
export class ActionKeyPropertySetupError extends Error {}

/**
 * Makes sure the portal has the action-key property with unique values: read it, create it when it
 * is missing (409 from a concurrent create is as good). A property of that name without unique
 * values cannot be fixed from here (HubSpot cannot make an existing property unique): that, and a
 * token that may not create properties, is an ActionKeyPropertySetupError naming the setup step.
 * Other failures (network, 5xx, 429) are thrown as they are, for the caller to classify.
 */
export async function ensureActionKeyProperty(client: Client): Promise<void> {
  const properties = client.crm.properties.coreApi;
  let existing: { hasUniqueValue?: boolean } | null;
  try {
    existing = await properties.getByName('deals', ACTION_KEY_PROPERTY);
  } catch (err) {
    if (statusOf(err) === 403) throw new ActionKeyPropertySetupError(`cannot read the deal property ${ACTION_KEY_PROPERTY} (HTTP 403: the private app needs the crm.schemas.deals.read scope)`);
    if (statusOf(err) !== 404) throw err;
    existing = null;
  }
  if (existing) {
    if (existing.hasUniqueValue) return;
    throw new ActionKeyPropertySetupError(
      `the deal property ${ACTION_KEY_PROPERTY} exists without unique values, so it cannot stop a second deal for a retried action: archive it and ${ACTION_KEY_PROPERTY_SETUP}`,
    );
  }
  try {
    await properties.create('deals', DEFINITION);
  } catch (err) {
    if (statusOf(err) === 409) return ensureUniqueAfterRace(client);
    if (statusOf(err) === 403) throw new ActionKeyPropertySetupError(`the deal property ${ACTION_KEY_PROPERTY} is missing and this token may not create it (HTTP 403): ${ACTION_KEY_PROPERTY_SETUP}`);
    throw err;
  }
}

/** Another process created the property between our read and our create: check it like any existing one. */
async function ensureUniqueAfterRace(client: Client): Promise<void> {
  const existing = await client.crm.properties.coreApi.getByName('deals', ACTION_KEY_PROPERTY);
  if (!existing.hasUniqueValue) {
    throw new ActionKeyPropertySetupError(`the deal property ${ACTION_KEY_PROPERTY} exists without unique values: archive it and ${ACTION_KEY_PROPERTY_SETUP}`);
  }
}

function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
