import { getMetadataStorage } from 'class-validator';
import { BYTE_UNITS, durationWritten, isByteSize, isDuration } from './setting-values.js';
import { settingOptionsOf, settingsGroupOf, type SettingsClass } from './setting.decorator.js';

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** One environment variable as the reference describes it. */
export interface SettingReference {
  name: string;
  description: string;
  secret: boolean;
  /** The default as it would be written in .env (5MiB rather than 5242880); undefined when it has none. */
  default?: string;
  /** How the default is worked out, for a variable whose default depends on others. */
  computedDefault?: string;
  example?: string;
  /** The accepted values, read from the validation decorators where that is cheap, or stated by `@Setting`. */
  allowed?: string;
  /** The values of an enumeration (`@IsIn`, `@IsEnum`), if the variable is one. */
  choices?: string[];
  /** The section of the group this variable starts, if it starts one. */
  section?: string;
}

/** A settings class as the reference describes it. */
export interface SettingsGroupReference {
  className: string;
  title: string;
  description: string;
  settings: SettingReference[];
}

/**
 * What the reference says about a settings class: its group and each variable, in declaration order.
 * Every variable the class validates is listed, with an empty description if it has no `@Setting`
 * (src/settings-classes.spec.ts refuses that).
 */
export function settingsReference(settingsClass: SettingsClass): SettingsGroupReference {
  const group = settingsGroupOf(settingsClass);
  const options = settingOptionsOf(settingsClass);
  const validations = getMetadataStorage().getTargetValidationMetadatas(settingsClass, '', true, false);
  const names = [...new Set([...options.keys(), ...validations.map((m) => m.propertyName)])];
  const defaults = new settingsClass() as Record<string, unknown>;
  return {
    className: settingsClass.name,
    title: group?.title ?? '',
    description: group?.description ?? '',
    settings: names.map((name) => {
      const setting = options.get(name);
      const byteSize = isByteSize(settingsClass, name);
      const rules = validations.filter((m) => m.propertyName === name);
      return {
        name,
        description: setting?.description ?? '',
        secret: setting?.secret === true,
        default: defaults[name] === undefined ? undefined : isDuration(settingsClass, name) ? durationWritten(defaults[name] as number) : written(defaults[name], byteSize),
        computedDefault: setting?.computedDefault,
        example: setting?.example,
        allowed: setting?.allowed ?? allowedValues(rules, byteSize),
        choices: choices(rules),
        section: setting?.section,
      };
    }),
  };
}

/** The variables flagged `@Setting({ secret: true })` in these classes. */
export function secretVariables(classes: readonly SettingsClass[]): string[] {
  return classes.flatMap((settingsClass) => [...settingOptionsOf(settingsClass)].filter(([, options]) => options.secret).map(([name]) => name));
}

/** The values of a loaded settings instance's secret fields (for a connector's error redaction). */
export function secretValuesOf(settings: object): string[] {
  return secretVariables([settings.constructor as SettingsClass])
    .map((name) => (settings as Record<string, unknown>)[name])
    .filter((value): value is string => typeof value === 'string' && value !== '');
}

function written(value: unknown, byteSize: boolean): string {
  return byteSize && typeof value === 'number' ? bytesWritten(value) : String(value);
}

/** 5242880 → 5MiB; a count no binary unit divides stays in bytes. */
function bytesWritten(bytes: number): string {
  for (const unit of ['GiB', 'MiB', 'KiB']) {
    const size = BYTE_UNITS[unit.toLowerCase()];
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}

function choices(rules: ValidationMetadata[]): string[] | undefined {
  const isIn = rules.find((m) => m.name === 'isIn');
  if (isIn) return (isIn.constraints[0] as unknown[]).map(String);
  const isEnum = rules.find((m) => m.name === 'isEnum');
  if (isEnum) return Object.values(isEnum.constraints[0] as object).map(String);
  return undefined;
}

function allowedValues(rules: ValidationMetadata[], byteSize: boolean): string | undefined {
  const rule = (name: string) => rules.find((m) => m.name === name);
  const listed = choices(rules);
  if (listed) return listed.join(' | ');
  if (rule('isBoolean')) return 'true | false';
  if (rule('isUrl')) return 'http:// or https:// URL';
  if (!rule('isInt')) return undefined;
  const [min, max] = [rule('min')?.constraints[0], rule('max')?.constraints[0]] as Array<number | undefined>;
  const bound = (n: number) => (byteSize ? bytesWritten(n) : String(n));
  const kind = byteSize ? 'bytes, or with a unit (kb, KiB, mb, MiB, gb, GiB)' : 'integer';
  if (min !== undefined && max !== undefined) return `${kind}, ${bound(min)}–${bound(max)}`;
  if (min !== undefined) return `${kind}, ≥ ${bound(min)}`;
  if (max !== undefined) return `${kind}, ≤ ${bound(max)}`;
  return kind;
}

/** What keeps a settings class out of the reference: no `@SettingsGroup`, or a variable without a description. */
export function undocumentedSettings(classes: readonly SettingsClass[]): string[] {
  return classes.flatMap((settingsClass) => {
    const reference = settingsReference(settingsClass);
    const group = reference.title && reference.description ? [] : [`${reference.className} has no @SettingsGroup(title, description)`];
    const fields = reference.settings
      .filter((setting) => setting.description.trim() === '')
      .map((setting) => `${reference.className}.${setting.name} has no @Setting({ description })`);
    return [...group, ...fields];
  });
}
