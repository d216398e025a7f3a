import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createLineDecoder, NotTextError } from '../../matchers/line-decoder';
import { parseCmtraceRecord } from '../../matchers/parse/cmtrace';
import { createLogParser } from '../../matchers/parse/log-parser';
import { normalizeLine } from '../../matchers/parse/normalize';
import { splitLines } from '../../matchers/split-lines';
import type { LogFormat } from '../../matchers/types';
import { referenceCmtraceAttributes, referenceLines } from './reference';
import { hostileText, logLike, options } from './settings';

/**
 * The streaming decoder and the log parser take any input: random text, line-break
 * mixes, UTF-16 with and without a byte-order mark, chunks cut anywhere (inside a CRLF,
 * inside a multi-byte character). They never throw (except NotTextError for data that is
 * not text) and what they return is well-formed.
 */
const textUnit = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abc XYZ 019 .:/\\<>[]!"=-'.split('')) },
  { weight: 3, arbitrary: fc.constantFrom('\r', '\n', '\r\n', '\n\r', '\r\r') },
  { weight: 1, arbitrary: fc.constantFrom('é', '€', '\u2019', '😀', '中', '\u00a0') },
);
const text = (max: number): fc.Arbitrary<string> => fc.array(textUnit, { maxLength: max }).map((u) => u.join(''));
const asciiText = (max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...'abc XYZ 019 .:/<>'.split(''), '\r', '\n', '\r\n'), { minLength: 2, maxLength: max }).map((u) => u.join(''));

/** Feeds `bytes` to a fresh decoder in chunks cut at the given points. */
function decode(bytes: Uint8Array, cuts: readonly number[], maxLineChars?: number): string[] {
  const d = createLineDecoder(maxLineChars !== undefined ? { maxLineChars } : {});
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let at = 0;
  for (const p of [...points, bytes.length]) {
    out.push(...d.push(bytes.subarray(at, p)));
    at = p;
  }
  out.push(...d.end());
  return out;
}

function utf16le(s: string): Uint8Array {
  const b = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    b[2 * i] = s.charCodeAt(i) & 0xff;
    b[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return b;
}

const cuts = fc.array(fc.nat(), { maxLength: 8 });

describe('the line decoder gives the lines of the text, however the bytes are cut', () => {
  test('UTF-8, any mix of CRLF, LF and CR', () => {
    fc.assert(fc.property(text(200), cuts, (t, c) => {
      expect(decode(new TextEncoder().encode(t), c)).toEqual(referenceLines(t));
    }), options(500));
  });

  test('UTF-8 with a byte-order mark', () => {
    fc.assert(fc.property(text(100), cuts, (t, c) => {
      const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(t)]);
      expect(decode(bytes, c)).toEqual(referenceLines(t));
    }), options(200));
  });

  test('UTF-16 LE with a byte-order mark, and without one (ASCII text)', () => {
    fc.assert(fc.property(text(100), asciiText(100), cuts, (t, a, c) => {
      expect(decode(new Uint8Array([0xff, 0xfe, ...utf16le(t)]), c)).toEqual(referenceLines(t));
      expect(decode(utf16le(a), c)).toEqual(referenceLines(a));
    }), options(300));
  });

  test('splitLines agrees with the decoder on the same text', () => {
    fc.assert(fc.property(text(200), (t) => {
      expect([...splitLines(t)]).toEqual(referenceLines(t));
    }), options(500));
  });

  test('random bytes: lines, or NotTextError, never another exception', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), cuts, (bytes, c) => {
      try {
        const lines = decode(bytes, c);
        for (const l of lines) expect(typeof l).toBe('string');
      } catch (e) {
        expect(e).toBeInstanceOf(NotTextError);
      }
    }), options(500));
  });

  test('a line longer than maxLineChars is kept up to it, and the lines after it are intact', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 400 }), cuts, (max, long, c) => {
      const t = `${'x'.repeat(long)}\r\nnext line\n`;
      const lines = decode(new TextEncoder().encode(t), c, max);
      expect(lines).toEqual(['x'.repeat(Math.min(long, max)), 'next line'.slice(0, max)]);
    }), options(200));
  });

  test('a 20 MB line without a break, fed in 64 KB chunks, is held only up to the cap', () => {
    const d = createLineDecoder({ maxLineChars: 1000 });
    const chunk = new Uint8Array(65536).fill(0x61);
    let lines: string[] = [];
    for (let i = 0; i < 320; i++) lines = lines.concat(d.push(chunk));
    lines = lines.concat(d.end());
    expect(lines).toEqual(['a'.repeat(1000)]);
  });
});

const FORMATS: readonly LogFormat[] = ['cmtrace', 'cmtrace-clipboard', 'iis', 'bitsadmin', 'eventlog', 'text'];

describe('the log parser takes any line', () => {
  test('never throws; records are well-formed, in order, and within the lines fed', () => {
    const line = fc.oneof(hostileText(60), logLike(12), fc.constantFrom(
      '<![LOG[Download failed, error 0x80091007]LOG]!><time="10:00:00.000+000" date="03-25-2026" component="CAS" context="" type="3" thread="1" file="x.cpp:1">',
      '<![LOG[first line of a record', 'second line]LOG]!><time="1" component="ContentTransferManager" type="2">', ']LOG]!>',
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken',
      '2026-03-25 10:00:00 10.0.0.1 GET /SMS_DP_SMSPKG$/PS100012/x.config - 80 - 10.0.0.2 Microsoft+BITS/7.8 404 7 0 15',
      'Log Name: System', 'Source: Microsoft-Windows-Bits-Client', 'Event ID: 16392', 'Description:', 'ERROR CODE: 0x80190194',
      'CAS.log:', 'SMSTS.log file :', 'message $$<SMS_DISTRIBUTION_MANAGER><03-25-2026 10:00:00.000+000><thread=1 (0x1)>',
      'Retrying download... InstallSoftware', 'x\t3/25/2010 12:31:21 AM\t2096 (0x0830)',
    ));
    fc.assert(fc.property(fc.array(line, { maxLength: 40 }), fc.option(fc.constantFrom('CAS.log', 'u_ex260325.log', 'smsts.log', 'x.txt')), (lines, fileName) => {
      const p = createLogParser({ fileName: fileName ?? undefined, maxRecordLines: 5 });
      const records = [...lines.flatMap((l) => p.push(l)), ...p.end()];
      let previous = 0;
      for (const r of records) {
        expect(r.line).toBeGreaterThanOrEqual(1);
        expect(r.endLine).toBeGreaterThanOrEqual(r.line);
        expect(r.endLine).toBeLessThanOrEqual(lines.length);
        expect(r.line).toBeGreaterThanOrEqual(previous);
        previous = r.line;
        expect(typeof r.text).toBe('string');
        expect(FORMATS).toContain(r.format);
      }
      expect(p.lineCount).toBe(lines.length);
    }), options(500));
  });

  test('normalizeLine leaves ASCII alone and maps typographic characters to ASCII, one for one or removed', () => {
    fc.assert(fc.property(hostileText(60), (l) => {
      const n = normalizeLine(l);
      expect(n.length).toBeLessThanOrEqual(l.length);
      expect(n).not.toMatch(/[\u201C\u201D\u2018\u2019\u2013\u2014\u00A0\u0000]/);
      expect(normalizeLine(n)).toBe(n);
    }), options(500));
  });
});

describe('the CMTrace attribute reader agrees with a global regex', () => {
  const attr = fc.tuple(fc.constantFrom('time', 'date', 'component', 'context', 'type', 'thread', 'file', 'TYPE', 'Component', 'xcomponent', 'comp', ''),
    fc.constantFrom('=', '="', '= "', '=""'), fc.constantFrom('', '1', '3', 'CAS', 'a"b', 'x=y', '10:00:00.000+000'), fc.constantFrom('"', '', '" ', '"x'));
  test('on attribute parts with missing quotes, odd names, repeated and upper-case keys', () => {
    fc.assert(fc.property(fc.array(attr, { maxLength: 9 }), fc.constantFrom('', ' ', '<', 'x '), (parts, lead) => {
      const tail = lead + parts.map(([k, eq, v, q]) => `${k}${eq}${v}${q}`).join(' ');
      const parsed = parseCmtraceRecord(`<![LOG[message]LOG]!>${tail}`);
      const want = referenceCmtraceAttributes(tail);
      expect(parsed?.message).toBe('message');
      expect(parsed?.component).toBe(want['component'] || undefined);
      expect(parsed?.time).toBe(want['time']);
      expect(parsed?.date).toBe(want['date']);
      expect(parsed?.thread).toBe(want['thread']);
      const severities: Record<string, string> = { 1: 'info', 2: 'warning', 3: 'error' };
      const severity = severities[want['type'] ?? ''];
      expect(parsed?.severity).toBe(severity);
    }), options(1500));
  });
});
