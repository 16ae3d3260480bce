/**
 * Token counts for simulated calls, from the real prompt text with a real tokenizer
 * (o200k_base, the GPT-4o family encoding). Counts are memoised per string because the system
 * prompt, tool list and earlier messages repeat on every call of an episode.
 */

const memo = new Map<string, number>();
const MEMO_LIMIT = 50_000;

let countTokens: ((text: string) => number) | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the tokenizer (its o200k tables take most of a second to load, so only runs that count
 * tokens load it). Call and await once before {@link tokens}; later calls return at once.
 */
export function loadTokenizer(): Promise<void> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((m) => {
    countTokens = m.countTokens;
  });
  return loading;
}

/**
 * o200k token count of a text, memoised.
 * @throws Error when {@link loadTokenizer} has not completed.
 */
export function tokens(text: string): number {
  if (text.length === 0) return 0;
  let n = memo.get(text);
  if (n === undefined) {
    if (countTokens === undefined) throw new Error('token-counter: await loadTokenizer() before counting tokens');
    n = countTokens(text);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, n);
  }
  return n;
}
