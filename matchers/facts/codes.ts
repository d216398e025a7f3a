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
const BARE_HEX = /\b(?:hresult|hr|error|err|code|status|result|returned|failed with)\s*[=:]?\s*(?:is\s+)?([89a-f][0-9a-f]{7})(?![0-9a-z])/gi;
const SIGNED = /(?<![\w.-])(-[12]\d{9})(?![\d.])/g;
const UNSIGNED_AFTER_WORD = /\b(?:hresult|hr|error|err|code|status|result|exit code|returned|failed with)\s*[=:]?\s*(?:is\s+)?([234]\d{9})(?![\d.])/gi;
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

export function extractCodes(text: string): CodeFact[] {
  if (text.length === 0) return [];
  const found: CodeFact[] = [];
  const seen = new Set<number>();
  const add = (value: number, spelling: string): void => {
    if (!isFailureCode(value) || seen.has(value)) return;
    seen.add(value);
    found.push({ value, spelling });
  };
  const hasDigitRun = /\d{7}/.test(text) || /0x/i.test(text);
  if (!hasDigitRun && !/[0-9a-f]{8}/i.test(text)) return found;
  for (const m of text.matchAll(HEX)) add(parseInt(m[1] as string, 16), m[0]);
  for (const m of text.matchAll(BARE_HEX)) add(parseInt(m[1] as string, 16), m[1] as string);
  for (const m of text.matchAll(SIGNED)) {
    const n = Number(m[1]);
    if (n >= -2147483648) add(n >>> 0, m[1] as string);
  }
  for (const m of text.matchAll(UNSIGNED_AFTER_WORD)) {
    const n = Number(m[1]);
    if (n <= 0xffffffff) add(n, m[1] as string);
  }
  const alone = UNSIGNED_ALONE.exec(text);
  if (alone?.[1] !== undefined) {
    const n = Number(alone[1]);
    if (n <= 0xffffffff) add(n, alone[1]);
  }
  return found;
}

export function formatCode(value: number): string {
  return '0x' + (value >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

export function signedDecimal(value: number): number {
  return value | 0;
}
