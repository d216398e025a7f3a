import type { CodeFact } from '../types';

/**
 * Error codes in the spellings engineers paste. Only failure codes (top bit set) are
 * taken from logs: `0x00000000` results and thread ids such as `(0x0830)` are not errors.
 *
 * - `0x80091007`, `0X80091007`, `0x80091007L`
 * - `80091007` after `HRESULT=`, `hr=`, `error`, `code`, `status`, `result`
 * - signed decimal `-2146889721`; unsigned decimal `2148077575` after one of those words
 *   or on its own, since byte counts of that size would otherwise read as codes
 */
const HEX = /(?<![0-9a-z])0x([0-9a-f]{8})L?(?![0-9a-z])/gi;
// `\s*(?:[=:]\s*)?` rather than `\s*[=:]?\s*`: the same text, but a word followed by a
// long run of spaces costs linear time, not quadratic (two adjacent `\s*` backtrack
// against each other).
const BARE_HEX = /\b(?:hresult|hr|error|err|code|status|result|returned|failed with)\s*(?:[=:]\s*)?(?:is\s+)?([89a-f][0-9a-f]{7})(?![0-9a-z])/gi;
// A full stop after a decimal code ends the sentence; only a digit after it makes a decimal fraction.
const SIGNED = /(?<![\w.-])(-[12]\d{9})(?!\d|\.\d)/g;
const UNSIGNED_AFTER_WORD = /\b(?:hresult|hr|error|err|code|status|result|exit code|returned|failed with)\s*(?:[=:]\s*)?(?:is\s+)?([234]\d{9})(?!\d|\.\d)/gi;
const UNSIGNED_ALONE = /^\s*([234]\d{9})\s*$/;

export function isFailureCode(value: number): boolean {
  return value >= 0x80000000 && value <= 0xffffffff;
}

/** Parse one code spelling as a user types it into `code <x>`; undefined when it is not a code. */
export function parseCodeSpelling(input: string): number | undefined {
  const s = input.trim().replace(/L$/i, '');
  let value: number | undefined;
  if (/^0x[0-9a-f]{1,8}$/i.test(s)) value = parseInt(s.slice(2), 16);
  else if (/^[89a-f][0-9a-f]{7}$/i.test(s)) value = parseInt(s, 16);
  else if (/^-\d{1,10}$/.test(s)) {
    const n = Number(s);
    if (n >= -2147483648) value = n >>> 0;
  } else if (/^\d{1,10}$/.test(s)) {
    const n = Number(s);
    if (n <= 0xffffffff) value = n;
  }
  return value;
}

/**
 * Cheap necessary conditions for the spellings, tested before the regexes that find them:
 * most log lines hold no code, and a character-class regex costs a full scan of the line.
 * `0x…` needs "0x"; the bare hex and unsigned spellings need one of the words before them
 * (a superset of their alternatives, without the word boundary); the signed one needs a
 * minus sign before a 1 or 2; the decimal ones need ten digits in a row.
 */
const CODE_WORD = /hr|err|code|status|result|returned|failed with/i;
const DECIMAL_RUN = /\d{10}/;

export function extractCodes(text: string): CodeFact[] {
  if (text.length === 0) return [];
  const has0x = text.indexOf('0x') >= 0 || text.indexOf('0X') >= 0;
  const word = CODE_WORD.test(text);
  const minus = text.indexOf('-1') >= 0 || text.indexOf('-2') >= 0;
  // UNSIGNED_ALONE: the whole text, less the white space that trim() removes (the same set as \s), is ten digits.
  const alone = text.length >= 10 && text.trim().length === 10;
  if (!has0x && !word && !minus && !alone) return [];
  const found: CodeFact[] = [];
  const seen = new Set<number>();
  // exec loops over the module's global regexes (lastIndex reset first) rather than
  // matchAll, which clones the regex on every call.
  if (has0x) {
    HEX.lastIndex = 0;
    for (let m = HEX.exec(text); m !== null; m = HEX.exec(text)) addCode(found, seen, parseInt(m[1] as string, 16), m[0]);
  }
  if (word) {
    BARE_HEX.lastIndex = 0;
    for (let m = BARE_HEX.exec(text); m !== null; m = BARE_HEX.exec(text)) addCode(found, seen, parseInt(m[1] as string, 16), m[1] as string);
  }
  if (!(word || minus || alone) || !DECIMAL_RUN.test(text)) return found;
  if (minus) {
    SIGNED.lastIndex = 0;
    for (let m = SIGNED.exec(text); m !== null; m = SIGNED.exec(text)) {
      const n = Number(m[1]);
      if (n >= -2147483648) addCode(found, seen, n >>> 0, m[1] as string);
    }
  }
  if (word) {
    UNSIGNED_AFTER_WORD.lastIndex = 0;
    for (let m = UNSIGNED_AFTER_WORD.exec(text); m !== null; m = UNSIGNED_AFTER_WORD.exec(text)) {
      const n = Number(m[1]);
      if (n <= 0xffffffff) addCode(found, seen, n, m[1] as string);
    }
  }
  const whole = alone ? UNSIGNED_ALONE.exec(text) : null;
  if (whole?.[1] !== undefined) {
    const n = Number(whole[1]);
    if (n <= 0xffffffff) addCode(found, seen, n, whole[1]);
  }
  return found;
}

function addCode(found: CodeFact[], seen: Set<number>, value: number, spelling: string): void {
  if (!isFailureCode(value) || seen.has(value)) return;
  seen.add(value);
  found.push({ value, spelling });
}

export function formatCode(value: number): string {
  return '0x' + (value >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

export function signedDecimal(value: number): number {
  return value | 0;
}
