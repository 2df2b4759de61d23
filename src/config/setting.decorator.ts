/**
 * The settings kit: a settings class is a plain class whose fields are environment variables. Each
 * field keeps its class-validator / class-transformer decorators (validation and parsing) and wears
 * `@Setting({ description, secret? })` (its documentation and whether it holds a credential); the class
 * wears `@SettingsGroup(title, description)`. loadConfig validates every settings class at once,
 * redactSecrets reads the secret flags, and `npm run config:docs` writes .env.example and
 * docs/configuration.md from the same metadata.
 *
 *   @SettingsGroup('Slack connector', 'Posting messages as a Slack bot.')
 *   export class SlackConnectorConfig {
 *     @Setting({ description: 'Bot token (xoxb-…); unset: post_slack_message runs as a dry run.', secret: true })
 *     @IsOptional()
 *     @IsString()
 *     SLACK_BOT_TOKEN?: string;
 *   }
 */

/** A class of settings: instantiable without arguments, its field initialisers being the defaults. */
export type SettingsClass<T extends object = object> = new () => T;

export interface SettingOptions {
  /** What the variable does, in the reference (.env.example, docs/configuration.md). */
  description: string;
  /** The value is a credential: redacted from a failed start's message, flagged in the reference. */
  secret?: true;
  /** A value shown commented out in .env.example, for a variable without a default. */
  example?: string;
  /** The default as the reference states it, for a variable whose default is worked out at load time. */
  computedDefault?: string;
  /** The accepted values as the reference states them, where the validation decorators do not tell (a pattern). */
  allowed?: string;
  /** Starts a section of the group's reference at this variable (a group with many variables reads better in parts). */
  section?: string;
}

export interface SettingsGroupInfo {
  title: string;
  description: string;
}

const groups = new WeakMap<Function, SettingsGroupInfo>();
const settings = new WeakMap<Function, Map<string, SettingOptions>>();

/** Documents one environment variable (the field's name) of a settings class. */
export function Setting(options: SettingOptions): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property !== 'string') throw new TypeError('@Setting() goes on a field named after its environment variable');
    const owner = prototype.constructor;
    const fields = settings.get(owner) ?? new Map<string, SettingOptions>();
    fields.set(property, options);
    settings.set(owner, fields);
  };
}

/** Names a settings class in the reference: a title (e.g. "GitHub connector") and one line on what it is for. */
export function SettingsGroup(title: string, description: string): ClassDecorator {
  return (target) => {
    groups.set(target, { title, description });
  };
}

/** The group a settings class declares, or undefined when it wears no `@SettingsGroup`. */
export function settingsGroupOf(settingsClass: Function): SettingsGroupInfo | undefined {
  return groups.get(settingsClass);
}

/** The documented fields of a settings class, in declaration order. */
export function settingOptionsOf(settingsClass: Function): ReadonlyMap<string, SettingOptions> {
  return settings.get(settingsClass) ?? new Map();
}
