import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { describe, expect, it } from 'vitest';
import { configDocs } from './config-docs.js';
import { Setting, SettingsGroup } from './setting.decorator.js';
import { ByteSize, toBool } from './setting-values.js';

@SettingsGroup('Example service', 'What the example is for.')
class ExampleConfig {
  @Setting({ section: 'Basics', description: 'How loud the example is.' })
  @IsIn(['quiet', 'loud'])
  EXAMPLE_MODE: 'quiet' | 'loud' = 'quiet';

  @Setting({ description: 'Largest thing | with a pipe and a <placeholder>.' })
  @ByteSize()
  @IsInt()
  @Min(1024)
  EXAMPLE_LIMIT = 2 * 1024 * 1024;

  @Setting({ section: 'Credentials', secret: true, description: 'The key.' })
  @IsOptional()
  @IsString()
  EXAMPLE_KEY?: string;

  @Setting({ description: 'Where to call.', example: 'https://example.com', computedDefault: 'the vendor default' })
  @IsOptional()
  @IsString()
  EXAMPLE_URL?: string;

  @Setting({ description: 'A switch.' })
  @Transform(toBool)
  @IsBoolean()
  EXAMPLE_ON = false;
}

describe('configDocs', () => {
  const docs = configDocs([ExampleConfig]);

  it('writes each variable into .env.example: set to its default, left empty, or commented out with its example', () => {
    const example = docs['.env.example'];
    const lines = example.split('\n');
    const from = lines.findIndex((line) => line.startsWith('# ══ Example service ══'));
    expect(lines.slice(from + 1, from + 10)).toEqual([
      '# What the example is for.',
      '',
      expect.stringMatching(/^# ── Basics ─+$/),
      '# How loud the example is.',
      '# quiet | loud',
      'EXAMPLE_MODE=quiet',
      '# Largest thing | with a pipe and a <placeholder>.',
      'EXAMPLE_LIMIT=2MiB',
      '',
    ]);
    expect(example).toMatch(/^# \[secret\] The key\.\nEXAMPLE_KEY=$/m);
    expect(example).toMatch(/^# Default: the vendor default\.\n# EXAMPLE_URL=https:\/\/example\.com$/m);
    expect(example).toMatch(/^EXAMPLE_ON=false$/m);
  });

  it('writes a table per section in docs/configuration.md, with defaults, secrets and allowed values', () => {
    const markdown = docs['docs/configuration.md'];
    expect(markdown).toContain('- [Example service](#example-service): What the example is for.');
    expect(markdown).toContain('## Example service\n\nWhat the example is for.\n\n### Basics\n');
    expect(markdown).toContain('| `EXAMPLE_MODE` | `quiet` |  | quiet \\| loud | How loud the example is. |');
    expect(markdown).toContain(
      '| `EXAMPLE_LIMIT` | `2MiB` |  | bytes, or with a unit (kb, KiB, mb, MiB, gb, GiB), ≥ 1KiB | Largest thing \\| with a pipe and a &lt;placeholder&gt;. |',
    );
    expect(markdown).toContain('| `EXAMPLE_KEY` | unset | yes |  | The key. |');
    expect(markdown).toContain('| `EXAMPLE_URL` | the vendor default |  |  | Where to call. |');
    expect(markdown).toContain('| `EXAMPLE_ON` | `false` |  | true \\| false | A switch. |');
  });
});
