import { decodeCode } from './codes/decode-code';
import { extractCodes, parseCodeSpelling } from './facts/codes';
import type { KnowledgeBase } from './knowledge';
import type { DecodedCode } from './types';

/**
 * Decodes what a user typed after `code`: one spelling (`0x80190194`, `80190194`,
 * `-2145844844`, `2149122452`, also with a full stop after it) or a line that contains codes.
 * Success values, and upper-case tokens that could be package IDs (`C1900101`), are decoded
 * too, since the user asked for them explicitly.
 */
export function lookupCodes(input: string, kb: Pick<KnowledgeBase, 'codes'>): DecodedCode[] {
  const single = parseCodeSpelling(input.trim().replace(/[.,;!]$/, ''));
  if (single !== undefined) return [decodeCode(single, kb.codes)];
  return extractCodes(input).map((c) => decodeCode(c.value, kb.codes));
}
