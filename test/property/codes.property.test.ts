import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeCode } from '../../matchers/codes/decode-code';
import { extractCodes, formatCode, parseCodeSpelling } from '../../matchers/facts/codes';
import type { CodeFact } from '../../matchers/types';
import { realKb } from '../helpers/kb';
import { hostileText, logLike, options } from './settings';

/**
 * The oracle for extractCodes: the plain regexes, without prefilters, including the forms
 * that backtrack badly on long runs of spaces (so only for the short inputs of property
 * tests), and the lines of the text split with String.split rather than found by `^…$`
 * in multiline mode.
 */
const REF_HEX = /(?<![0-9a-z])0x([0-9a-f]{8})L?(?![0-9a-z])/gi;
const REF_BARE_HEX = /\b(?:hresult|hr|error|err|code|status|result|returned|failed with|failed\.)\s*[=:]?\s*(?:is\s+)?([89a-f][0-9a-f]{7})(?![0-9a-z])(?!-[0-9a-f])/gi;
const REF_HEX_LINE = /^[ \t]*([89a-f][0-9a-f]{7})[.,;!]?[ \t]*$/i;
const REF_SIGNED = /(?<![\w.-])(-[12]\d{9})(?!\d|\.\d)/g;
const REF_UNSIGNED_AFTER_WORD = /\b(?:hresult|hr|error|err|code|status|result|exit code|returned|failed with)\s*[=:]?\s*(?:is\s+)?([234]\d{9})(?!\d|\.\d)/gi;
const REF_UNSIGNED_ALONE = /^\s*([234]\d{9})\s*$/;

function referenceExtractCodes(text: string): CodeFact[] {
  const found: CodeFact[] = [];
  const seen = new Set<number>();
  const add = (value: number, spelling: string): void => {
    if (value < 0x80000000 || value > 0xffffffff || seen.has(value)) return;
    seen.add(value);
    found.push({ value, spelling });
  };
  for (const m of text.matchAll(REF_HEX)) add(parseInt(m[1] as string, 16), m[0]);
  for (const m of text.matchAll(REF_BARE_HEX)) add(parseInt(m[1] as string, 16), m[1] as string);
  for (const line of text.split(/\r\n|[\r\n\u2028\u2029]/)) {
    const token = REF_HEX_LINE.exec(line)?.[1];
    // A lone upper-case token starting with a letter has the shape of a package ID.
    if (token !== undefined && !(/^[A-F]/.test(token) && !/[a-f]/.test(token))) add(parseInt(token, 16), token);
  }
  for (const m of text.matchAll(REF_SIGNED)) {
    const n = Number(m[1]);
    if (n >= -2147483648) add(n >>> 0, m[1] as string);
  }
  for (const m of text.matchAll(REF_UNSIGNED_AFTER_WORD)) {
    const n = Number(m[1]);
    if (n <= 0xffffffff) add(n, m[1] as string);
  }
  const alone = REF_UNSIGNED_ALONE.exec(text);
  if (alone?.[1] !== undefined) {
    const n = Number(alone[1]);
    if (n <= 0xffffffff) add(n, alone[1]);
  }
  return found;
}

/**
 * Error codes: every spelling engineers paste reads as the same HRESULT, the fast
 * extractor finds exactly what the plain regexes find, and the decoder answers for any
 * 32-bit value.
 */
const failureCode = fc.integer({ min: 0x80000000, max: 0xffffffff });
const hex8 = (v: number): string => v.toString(16).padStart(8, '0');
/** Text that cannot join a code into a longer token: words and punctuation around it. */
const before = fc.constantFrom('', 'Download failed, ', 'CTM job {0A1B2C3D-0000-4000-8000-000000000000} failed. ', 'ERROR CODE: 5 x ', '(');
const after = fc.constantFrom('', ' (retrying)', '. Next attempt in 60 seconds', ' - The operation timed out', ')');

describe('every spelling of a code reads as the same value', () => {
  test('0x%08X, 0X…, lower case and a trailing L, in running text', () => {
    fc.assert(fc.property(failureCode, before, after, (v, pre, post) => {
      for (const spelling of [`0x${hex8(v).toUpperCase()}`, `0X${hex8(v)}`, `0x${hex8(v)}`, `0x${hex8(v).toUpperCase()}L`]) {
        expect(extractCodes(`${pre}${spelling}${post}`).map((c) => c.value)).toContain(v);
        expect(parseCodeSpelling(spelling)).toBe(v);
      }
    }), options(300));
  });

  test('eight bare hex digits after HRESULT=, hr=, error', () => {
    fc.assert(fc.property(failureCode, before, after, fc.constantFrom('HRESULT=', 'hr=', 'error ', 'Error: ', 'failed with ', 'failed. '), (v, pre, post, word) => {
      for (const digits of [hex8(v), hex8(v).toUpperCase()]) {
        expect(extractCodes(`${pre}${word}${digits}${post}`).map((c) => c.value)).toContain(v);
        expect(parseCodeSpelling(digits)).toBe(v);
      }
    }), options(300));
  });

  test('eight bare hex digits alone on their line, with or without a full stop', () => {
    fc.assert(fc.property(failureCode, fc.constantFrom('', 'CAS.log:\n', 'Download failed\r\n'), fc.constantFrom('', '.', ' ', '\t'), fc.constantFrom('', '\n(retrying)', '\r\nnext line'), (v, pre, punct, post) => {
      const lower = hex8(v);
      expect(extractCodes(`${pre}${lower}${punct}${post}`).map((c) => c.value)).toContain(v);
      // Upper case: read when it starts with a digit; a lone upper-case token starting with a letter has the shape of a package ID.
      const upper = lower.toUpperCase();
      const values = extractCodes(`${pre}${upper}${punct}${post}`).map((c) => c.value);
      if (/^[89]/.test(upper)) expect(values).toContain(v);
      else expect(values).not.toContain(v);
    }), options(300));
  });

  test('GUIDs, hashes and hex dumps are not codes, after a keyword or alone on a line', () => {
    const hexString = (length: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
    const lookAlike = fc.oneof(
      fc.uuid(),
      fc.uuid().map((u) => `{${u.toUpperCase()}}`),
      hexString(40), // SHA-1
      hexString(64), // SHA-256
      fc.array(hexString(8), { minLength: 2, maxLength: 6 }).map((words) => `00000010: ${words.join(' ')}`), // hex dump
    );
    fc.assert(fc.property(lookAlike, fc.constantFrom('', 'error ', 'Error: ', 'hr=', 'code ', 'status: ', 'failed with ', 'hash '), (text, word) => {
      expect(extractCodes(`${word}${text}`)).toEqual([]);
      expect(extractCodes(`line one\n${word}${text}\nline three`)).toEqual([]);
    }), options(500));
  });

  test('signed decimal anywhere (ten digits), unsigned decimal after "error"', () => {
    fc.assert(fc.property(failureCode, before, after, (v, pre, post) => {
      const signed = String(v | 0);
      const unsigned = String(v);
      expect(parseCodeSpelling(signed)).toBe(v);
      expect(parseCodeSpelling(unsigned)).toBe(v);
      expect(extractCodes(`${pre}error ${unsigned}${post}`).map((c) => c.value)).toContain(v);
      if (signed.length === 11) expect(extractCodes(`${pre}exit code ${signed}${post}`).map((c) => c.value)).toContain(v);
    }), options(300));
  });

  test('formatCode and parseCodeSpelling round-trip every 32-bit value', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
      expect(parseCodeSpelling(formatCode(v))).toBe(v);
    }), options(500));
  });
});

describe('the fast extractor agrees with the plain regexes', () => {
  test('on log-like text built from the words and spellings it looks for', () => {
    fc.assert(fc.property(logLike(30), (text) => {
      expect(extractCodes(text)).toEqual(referenceExtractCodes(text));
    }), options(3000));
  });

  test('on several lines of log-like text with codes, GUID groups and package IDs alone on some lines', () => {
    const line = fc.oneof(
      logLike(8),
      fc.constantFrom('80072ee2', '80072EE2.', 'C0100978', 'c0100978', '8f2a1c3d-1a2b-4c3d-8e9f-0a1b2c3d4e5f', ' 80190194 ', '\t8007000e;', 'DEADBEEF', 'deadbeef!', '0x80070005', 'Size=80091007', '1234567', '123456789'),
    );
    const lines = fc.tuple(fc.array(line, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n', '\r', '\u2028'))
      .map(([ls, eol]) => ls.join(eol));
    fc.assert(fc.property(lines, (text) => {
      expect(extractCodes(text)).toEqual(referenceExtractCodes(text));
    }), options(2000));
  });

  test('on random text with line breaks, NUL, controls and lone surrogates', () => {
    fc.assert(fc.property(hostileText(80), (text) => {
      expect(extractCodes(text)).toEqual(referenceExtractCodes(text));
    }), options(1000));
  });
});

describe('decodeCode answers for any 32-bit value', () => {
  const table = realKb().kb.codes;
  test('never throws, and names the value it was given', () => {
    fc.assert(fc.property(fc.integer({ min: -0x80000000, max: 0xffffffff }), (v) => {
      const d = decodeCode(v, table);
      expect(d.code).toBe(formatCode(v >>> 0));
      expect(d.decimal).toBe(v | 0);
      expect(typeof d.facility).toBe('string');
      expect(Array.isArray(d.notes)).toBe(true);
      // Never "unknown": every value gets a message, even when no row names it (and then no name).
      expect(typeof d.message).toBe('string');
      expect(d.message?.length).toBeGreaterThan(20);
      if (!table.rows.has(v >>> 0)) expect(d.name).toBeNull();
      expect(() => JSON.stringify(d)).not.toThrow();
    }), options(2000));
  });
});
