/**
 * The configured keywords (SLACK_TODO_KEYWORDS) as one matcher: whole words (no letter, digit or
 * underscore on either side), case-insensitive, any run of spaces between the words of a phrase.
 */
export class SlackTodoKeywords {
  private readonly pattern: RegExp | null;

  constructor(list: string) {
    const keywords = list
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    // A boundary is required only where the keyword itself begins or ends with a word character (`action:` ends with none).
    const alternatives = keywords.map((k) => {
      const body = k.split(/\s+/).map(escape).join('\\s+');
      return `${WORD.test(k[0]) ? NOT_AFTER_WORD : ''}${body}${WORD.test(k.at(-1)!) ? NOT_BEFORE_WORD : ''}`;
    });
    this.pattern = alternatives.length ? new RegExp(alternatives.join('|'), 'iu') : null;
  }

  /** The keyword found in the text as written, or null. */
  match(text: string): string | null {
    return this.pattern?.exec(text)?.[0] ?? null;
  }
}

const WORD = /[\p{L}\p{N}_]/u;
const NOT_AFTER_WORD = '(?<![\\p{L}\\p{N}_])';
const NOT_BEFORE_WORD = '(?![\\p{L}\\p{N}_])';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
