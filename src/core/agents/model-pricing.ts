/** List prices in USD per million tokens (input, output). Cache writes cost 1.25× input, reads 0.1×. */
const PRICES: ReadonlyArray<[prefix: string, input: number, output: number]> = [
  ['claude-opus-4-5', 5, 25],
  ['claude-opus-4-6', 5, 25],
  ['claude-opus-4', 15, 75],
  ['claude-sonnet-4', 3, 15],
  ['claude-3-7-sonnet', 3, 15],
  ['claude-haiku-4', 1, 5],
  ['claude-3-5-haiku', 0.8, 4],
];

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** The cost of a run at list price, as a decimal string with 6 places; null for a model we have no price for. */
export function runCostUsd(model: string, tokens: TokenCounts): string | null {
  const price = PRICES.find(([prefix]) => model.startsWith(prefix));
  if (!price) return null;
  const [, input, output] = price;
  const microDollars =
    tokens.inputTokens * input + tokens.cacheWriteTokens * input * 1.25 + tokens.cacheReadTokens * input * 0.1 + tokens.outputTokens * output;
  return (Math.round(microDollars) / 1e6).toFixed(6);
}
