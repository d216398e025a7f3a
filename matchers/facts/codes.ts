import type { CodeFact } from '../types';

/**
 * Error codes in the spellings engineers paste. Only failure codes (top bit set) are
 * taken from logs: `0x00000000` results and thread ids such as `(0x0830)` are not errors.
 *
 * - `0x80091007`, `0X80091007`, `0x80091007L`
 * - `80091007` after `HRESULT=`, `hr=`, `error`, `code`, `status`, `result`, `failed with`
 *   (`Error 80072EE2`, `error code: 80072ee2`), but not the first group of a GUID
 *   (`error 8f2a1c3d-…`) and not 8 digits of a longer hex run (hashes)
 * - `80072ee2` alone on its line, optionally followed by a full stop (`80072EE2.`); a lone
 *   upper-case token that starts with a letter (`C0100978`) is left alone, since it has the
 *   shape of a package ID (site code and five hex digits)
 * - signed decimal `-2146889721`; unsigned decimal `2148077575` after one of those words
 *   or on its own, since byte counts of that size would otherwise read as codes
 *
 * Bare hex is read only as a failure code (first digit 8-F) and only in those places, so
 * `Size=80091007`, hex dumps, hashes and the 8-digit groups of GUIDs are not codes.
 */
const HEX = /(?<![0-9a-z])0x([0-9a-f]{8})L?(?![0-9a-z])/gi;
// `\s*(?:[=:]\s*)?` rather than `\s*[=:]?\s*`: the same text, but a word followed by a
// long run of spaces costs linear time, not quadratic (two adjacent `\s*` backtrack
// against each other).
// `(?!…|-[0-9a-f])`: eight hex digits followed by a hyphen and a hex digit are the first group of a GUID.
const BARE_HEX = /\b(?:hresult|hr|error|err|code|status|result|returned|failed with|failed\.)\s*(?:[=:]\s*)?(?:is\s+)?([89a-f][0-9a-f]{7})(?![0-9a-z]|-[0-9a-f])/gi;
// A line that is only a code: `[ \t]*` rather than `\s*`, so that a run of blank lines costs linear time.
const HEX_ALONE = /^[ \t]*([89a-f][0-9a-f]{7})[.,;!]?[ \t]*$/gim;
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
 * minus sign, a 1 or 2 and nine more digits (found from each minus sign: IIS lines have
 * several, in dates and empty fields, and a regex for ten digits scanned every one of
 * them); the decimal ones need ten digits in a row. A code alone on
 * its line needs either a text of 8 or 9 characters once trimmed (trim() removes a superset
 * of `[ \t]`) or a line break (any of the terminators `$` honours in multiline mode).
 */
const CODE_WORD = /hr|err|code|status|result|returned|failed/i;
const DECIMAL_RUN = /\d{10}/;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `-1` or `-2` followed by nine digits somewhere in the text: what SIGNED needs besides its boundaries. */
function hasSignedRun(text: string): boolean {
  for (let at = text.indexOf('-'); at >= 0; at = text.indexOf('-', at + 1)) {
    const first = text.charCodeAt(at + 1);
    if (first !== 49 && first !== 50) continue;
    let k = at + 2;
    while (k < at + 11 && isDigit(text.charCodeAt(k))) k++;
    if (k === at + 11) return true;
  }
  return false;
}

function hasLineBreak(text: string): boolean {
  return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\u2028') >= 0 || text.indexOf('\u2029') >= 0;
}

/** A lone upper-case token that starts with a letter (`C0100978`) has the shape of a package ID, not of a pasted code. */
function looksLikePackageId(token: string): boolean {
  return token.charCodeAt(0) >= 0x41 && token.charCodeAt(0) <= 0x46 && token === token.toUpperCase();
}

export function extractCodes(text: string): CodeFact[] {
  if (text.length === 0) return [];
  const has0x = text.indexOf('0x') >= 0 || text.indexOf('0X') >= 0;
  const word = CODE_WORD.test(text);
  const minus = hasSignedRun(text);
  // UNSIGNED_ALONE: the whole text, less the white space that trim() removes (the same set as \s), is ten digits.
  const trimmed = text.length >= 8 ? text.trim().length : 0;
  const alone = trimmed === 10;
  const hexAlone = text.length >= 8 && ((trimmed >= 8 && trimmed <= 9) || hasLineBreak(text));
  if (!has0x && !word && !minus && !alone && !hexAlone) return [];
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
  if (hexAlone) {
    HEX_ALONE.lastIndex = 0;
    for (let m = HEX_ALONE.exec(text); m !== null; m = HEX_ALONE.exec(text)) {
      const token = m[1] as string;
      if (!looksLikePackageId(token)) addCode(found, seen, parseInt(token, 16), token);
    }
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
