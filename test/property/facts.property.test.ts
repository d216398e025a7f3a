import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { extractEvents } from '../../matchers/facts/events';
import { extractFacts } from '../../matchers/facts/extract-facts';
import { extractHttp } from '../../matchers/facts/http';
import { extractPaths } from '../../matchers/facts/paths';
import type { LogRecord } from '../../matchers/types';
import { referenceEventId, referenceExtractPaths, referenceHttpInText, referencePackages } from './reference';
import { hostileText, logLike, options } from './settings';

/**
 * Fact extraction on any text: it never throws, its facts are well-formed, and the fast
 * versions (prefilters, no look-behind, linear-time regexes) find exactly what the plain
 * regexes find.
 */
const record = (text: string, format: LogRecord['format'] = 'text'): LogRecord => ({ line: 1, endLine: 1, text, format });
const anyText = fc.oneof(logLike(30), hostileText(80));

describe('fact extraction', () => {
  test('never throws, and every fact is well-formed', () => {
    fc.assert(fc.property(anyText, (text) => {
      const f = extractFacts(record(text));
      for (const c of f.codes) {
        expect(c.value).toBeGreaterThanOrEqual(0x80000000);
        expect(c.value).toBeLessThanOrEqual(0xffffffff);
        expect(text).toContain(c.spelling);
      }
      for (const h of f.http) {
        expect(Number.isInteger(h.status)).toBe(true);
        expect(h.status).toBeGreaterThanOrEqual(100);
        expect(h.status).toBeLessThanOrEqual(599);
      }
      for (const p of f.paths) {
        expect(p.value.length).toBeGreaterThanOrEqual(3);
        expect(p.segments.length).toBeGreaterThan(0);
        if (p.extension !== undefined) expect(p.extension).toMatch(/^\.[a-z0-9_]{1,16}$/);
      }
      expect(f.paths.length).toBeLessThanOrEqual(20);
      for (const id of f.packages) expect(id).toMatch(/^[A-Z][A-Z0-9]{2}[0-9A-F]{5}$/);
    }), options(2000));
  });

  test('package IDs: the same as the look-behind regex', () => {
    fc.assert(fc.property(anyText, (text) => {
      expect(extractFacts(record(text)).packages).toEqual(referencePackages(text));
    }), options(2000));
  });

  test('paths and URLs: the same as the plain regexes', () => {
    fc.assert(fc.property(anyText, (text) => {
      expect(extractPaths(record(text))).toEqual(referenceExtractPaths(record(text)));
    }), options(2000));
  });

  test('HTTP statuses in text: the same as the plain regexes', () => {
    fc.assert(fc.property(anyText, (text) => {
      expect(extractHttp(record(text))).toEqual(referenceHttpInText(text));
    }), options(2000));
  });

  test('event IDs in text: the same as the plain regex', () => {
    fc.assert(fc.property(anyText, (text) => {
      expect(extractEvents(record(text))[0]?.id).toBe(referenceEventId(text));
    }), options(1000));
  });
});

describe('fact extraction stays linear on hostile runs', () => {
  // Each of these took quadratic or cubic time in an earlier form of a regex; the test's
  // own time limit is the check (a regression hangs for minutes).
  test.each([
    ['a keyword followed by a long run of spaces', 'error' + ' '.repeat(200_000) + 'x'],
    ['"http" followed by spaces', 'HTTP' + ' '.repeat(200_000) + 'x'],
    ['"event" followed by spaces', 'event' + ' '.repeat(200_000) + 'x'],
    ['a URL ending in a long run of dots', 'http://dp01/' + '.'.repeat(200_000) + 'x'],
    ['a Windows path of semicolons', 'C:\\' + ';'.repeat(200_000) + 'x'],
    ['many keywords, each before spaces', ('status' + ' '.repeat(500) + 'x ').repeat(400)],
  ])('%s', (_name, text) => {
    const f = extractFacts(record(text));
    expect(f.codes).toEqual([]);
  }, 20_000);
});
