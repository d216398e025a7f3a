import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createDiagnosisSession, diagnoseText } from '../../matchers/diagnose';
import { decodeLogBytes } from '../../matchers/decode-text';
import { splitLines } from '../../matchers/split-lines';
import type { Diagnosis } from '../../matchers/types';
import { realKb } from '../helpers/kb';
import { hostileText, logLike, options } from './settings';

/**
 * The whole pipeline on hostile input: random bytes and Unicode, NUL bytes, lone
 * surrogates, CR-only text, huge lines, deep repetition of the patterns the extractors
 * look for. It never throws, its answer is well-formed and can be sent as JSON, long
 * lines are cut with a warning, and the time budget stops it with a partial answer.
 */
const kb = realKb().kb;
const CONFIDENCE = ['high', 'medium', 'low'];

function wellFormed(d: Diagnosis, lineCount: number): void {
  expect(d.lines).toBeLessThanOrEqual(lineCount);
  expect(typeof d.format).toBe('string');
  expect(d.matches.length).toBeLessThanOrEqual(5);
  for (const m of d.matches) {
    expect(CONFIDENCE).toContain(m.confidence);
    expect(Number.isFinite(m.score)).toBe(true);
    expect(kb.entries.some((e) => e.id === m.id)).toBe(true);
    for (const e of m.evidence) {
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.line).toBeLessThanOrEqual(Math.max(1, d.lines));
      expect(e.text.length).toBeLessThanOrEqual(401);
    }
  }
  for (const c of d.codes) expect(c.code).toMatch(/^0x[0-9A-F]{8}$/);
  for (const w of d.warnings) expect(typeof w).toBe('string');
  expect(() => JSON.stringify(d)).not.toThrow();
}

const lines = (text: string): number => [...splitLines(text)].length;

/** Patterns the extractors and signatures look for, repeated many times on one line or many. */
const repeated = fc.tuple(
  fc.constantFrom('error ', '0x80070005 ', 'status code 404 ', '<![LOG[', ']LOG]!>', 'a.log ', 'Event ID: 1 ', 'http://x/', '\\\\srv\\', 'PS100012 ', '%C3%A9', '        ', 'hr=', '-2146889721 ', 'Hash could not be matched for the downlo'),
  fc.integer({ min: 1, max: 3000 }),
  fc.constantFrom('', '\n', '\r', '\r\n', '\u0000'),
).map(([p, n, sep]) => Array.from({ length: n }, () => p).join(sep));

describe('diagnoseText on hostile input', () => {
  test('random text: never throws, well-formed', () => {
    fc.assert(fc.property(fc.oneof(hostileText(400), logLike(80)), (text) => {
      wellFormed(diagnoseText(text, kb), lines(text));
    }), options(300));
  });

  test('deeply repeated patterns on one line or many', () => {
    fc.assert(fc.property(repeated, (text) => {
      const d = diagnoseText(text, kb, { maxLineLength: 4096 });
      wellFormed(d, lines(text));
      if ([...splitLines(text)].some((l) => l.length > 4096)) expect(d.warnings.join(' ')).toMatch(/cut/);
    }), options(60));
  });

  test('random bytes, decoded as the command line decodes them', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      const decoded = decodeLogBytes(bytes);
      if (!decoded.ok) {
        expect(decoded.reason.length).toBeGreaterThan(0);
        return;
      }
      wellFormed(diagnoseText(decoded.text, kb), lines(decoded.text));
    }), options(300));
  });

  test('a 1 MB single line is cut to the line limit and said so', () => {
    const text = 'Download failed, error 0x80091007 '.repeat(32_000);
    const d = diagnoseText(text, kb, { maxLineLength: 8192 });
    wellFormed(d, 1);
    expect(d.lines).toBe(1);
    expect(d.warnings.join(' ')).toMatch(/1 line\(s\) longer than 8192 characters were cut/);
    expect(d.codes.map((c) => c.code)).toContain('0x80091007');
  });

  test('CR-only text is read as lines', () => {
    const text = ['CAS.log:', 'Download failed for content PS100012.1 under context System, error 0x80091007', 'Hash matching failed.'].join('\r');
    const d = diagnoseText(text, kb);
    expect(d.lines).toBe(3);
    expect(d.codes.map((c) => c.code)).toContain('0x80091007');
  });

  test('NUL bytes and lone surrogates inside log lines do not stop the reading', () => {
    const text = 'error 0x80091007\u0000\ud800 Hash matching failed.\udfff\nDownload failed\u0000 for content PS100012.1, error 0x80190194';
    const d = diagnoseText(text, kb);
    wellFormed(d, 2);
    expect(d.codes.map((c) => c.code)).toEqual(expect.arrayContaining(['0x80091007', '0x80190194']));
  });
});

describe('bounds: lines, line length and time', () => {
  test('maxLines stops the reading and says how far it read', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 100 }), (max, n) => {
      const text = Array.from({ length: n }, (_, i) => `line ${i} error 0x80070005`).join('\n');
      const d = diagnoseText(text, kb, { maxLines: max });
      expect(d.lines).toBe(Math.min(n, max));
      if (n > max) expect(d.warnings.join(' ')).toMatch(new RegExp(`first ${max} lines`));
      expect(d.partial).toBe(false);
    }), options(100));
  });

  test('the time budget stops a long input with a partial answer (injected clock, no real waiting)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 4 }), (budget, step) => {
      let clock = 0;
      const session = createDiagnosisSession(kb, { timeBudgetMs: budget, now: () => (clock += step) });
      let read = 0;
      for (let i = 0; i < 100_000; i++) {
        if (!session.push(`Download failed for content PS100012.1 under context System, error 0x80091007 (${i})`)) break;
        read++;
      }
      const d = session.finish();
      expect(d.partial).toBe(true);
      expect(read).toBeLessThan(100_000);
      expect(d.lines).toBe(read);
      expect(d.warnings.join(' ')).toMatch(/time budget/);
      wellFormed(d, read);
    }), options(30));
  });

  test('long lines bring the next clock reading closer: a few huge lines cannot outrun the budget', () => {
    let reads = 0;
    const session = createDiagnosisSession(kb, { timeBudgetMs: 1000, maxLineLength: 100_000, now: () => (reads++ === 0 ? 0 : 2000) });
    let accepted = 0;
    for (let i = 0; i < 20 && session.push('x'.repeat(100_000)); i++) accepted++;
    expect(accepted).toBeLessThan(20);
    expect(session.finish().partial).toBe(true);
  });
});
