/**
 * Token counts for simulated calls, from the real prompt text with a real tokenizer
 * (o200k_base, the GPT-4o family encoding). Counts are memoised per string because the system
 * prompt, tool list and earlier messages repeat on every call of an episode.
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

const memo = new Map<string, number>();
const MEMO_LIMIT = 50_000;

/** o200k token count of a text, memoised. */
export function tokens(text: string): number {
  if (text.length === 0) return 0;
  let n = memo.get(text);
  if (n === undefined) {
    n = countTokens(text);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, n);
  }
  return n;
}
