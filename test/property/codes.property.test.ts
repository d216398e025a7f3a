import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeCode } from '../../matchers/codes/decode-code';
import { extractCodes, formatCode, parseCodeSpelling } from '../../matchers/facts/codes';
import { realKb } from '../helpers/kb';
import { referenceExtractCodes } from './reference';
import { hostileText, logLike, options } from './settings';

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
    fc.assert(fc.property(failureCode, before, after, fc.constantFrom('HRESULT=', 'hr=', 'error ', 'Error: ', 'failed with '), (v, pre, post, word) => {
      for (const digits of [hex8(v), hex8(v).toUpperCase()]) {
        expect(extractCodes(`${pre}${word}${digits}${post}`).map((c) => c.value)).toContain(v);
        expect(parseCodeSpelling(digits)).toBe(v);
      }
    }), options(300));
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
      expect(() => JSON.stringify(d)).not.toThrow();
    }), options(2000));
  });
});
