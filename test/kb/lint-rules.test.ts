import { describe, expect, it } from 'vitest';
import { conditionValues } from '../../kb/check/placeholders';
import { conditionWeakness, shortestBranchLiteral, signatureWeakness } from '../../kb/check/weak-signatures';
import { extractFacts } from '../../matchers/facts/extract-facts';
import { createLogParser } from '../../matchers/parse/log-parser';
import { ConditionPool } from '../../matchers/signatures/compile';
import type { ConditionDef, SignatureDef } from '../../matchers/signatures/definition';
import type { LogRecord } from '../../matchers/types';

describe('KB010: which conditions are weak on their own', () => {
  const cases: [string, ConditionDef, boolean][] = [
    ['a lone status', { http: { status: 404 } }, true],
    ['a status with its substatus', { http: { status: 404, substatus: 7 } }, false],
    ['a substatus of 0 is still a substatus', { http: { status: 404, substatus: 0 } }, false],
    ['E_FAIL', { code: 0x80004005 }, true],
    ['E_FAIL written as text in the list', { code: ['0x80091007', '0x80004005'] }, true],
    ['a specific code', { code: 0x80091007 }, false],
    ['three letters', { text: 'qk!' }, true],
    ['four letters', { text: 'ZQKX' }, false],
    ['digits are not letters', { text: '404 0 2' }, true],
    ['a list is as weak as its weakest text', { text: ['Hash could not be matched', 'DTS'] }, true],
    ['a regex of classes and quantifiers', { regex: '%[C-F][0-9A-F]%[89AB][0-9A-F]' }, true],
    ['fixed text split by a quantifier still counts', { regex: '\\.wim\\s+len=[0-9]+' }, false],
    ['an alternation is as weak as its weakest branch', { regex: 'Hash could not be matched|E:' }, true],
    ['optional characters do not count', { regex: 'ab?c?d?e' }, true],
    ['a path substring of one character', { path: { contains: '+' } }, true],
    ['a folder segment', { path: { segment: 'bin' } }, false],
    ['an extension list', { extension: ['.config'] }, false],
    ['an event id', { event: { id: 16392 } }, false],
  ];
  for (const [what, condition, weak] of cases) {
    it(`${what}: ${weak ? 'weak' : 'specific'}`, () => {
      expect(conditionWeakness(condition) !== undefined).toBe(weak);
    });
  }

  it('reads the fixed text of a regex outside groups, classes and optional parts', () => {
    expect(shortestBranchLiteral('Failed to send request to \\S+ at host \\S+, error 0x2efd')).toBe('Failed to send request to … at host …, error 0x2efd');
    expect(shortestBranchLiteral('(Error|Error code) = 404')).toBe(' = 404');
  });

  it('judges a signature by the weakest set of conditions that makes it fire', () => {
    const sig = (s: Partial<SignatureDef>): SignatureDef => ({ name: 's', ...s });
    expect(signatureWeakness(sig({ all: [{ http: { status: 404 } }] }))).toEqual(['a lone HTTP status 404 without a substatus']);
    expect(signatureWeakness(sig({ all: [{ http: { status: 404 } }, { extension: ['.config'] }] }))).toBeUndefined();
    // A specific "all" carries a weak "any"; a weak "any" alone does not.
    expect(signatureWeakness(sig({ all: [{ text: 'Hash could not be matched' }], any: [{ code: 0x80004005 }] }))).toBeUndefined();
    expect(signatureWeakness(sig({ any: [{ text: 'Hash could not be matched' }, { code: 0x80004005 }] }))).toHaveLength(1);
    // "not" conditions are no evidence.
    expect(signatureWeakness(sig({ all: [{ http: { status: 405 } }], not: [{ text: 'a long specific healthy line' }] }))).toHaveLength(1);
  });
});

describe('KB014: the values each condition kind extracts agree with the signature engine', () => {
  const iis = { deniedExtensions: new Set(['.config']), hiddenSegments: new Set(['bin']) };
  const record = (text: string, fileName?: string): { r: LogRecord; facts: ReturnType<typeof extractFacts> } => {
    const parser = createLogParser({ fileName });
    const records = [...parser.push(text), ...parser.end()];
    const r = records[0] as LogRecord;
    return { r, facts: extractFacts(r) };
  };
  const iisLine = '2026-03-25 10:20:01 10.20.1.15 GET /SMS_DP_SMSPKG$/PS100012/bin/app.exe.config - 80 - 10.20.30.41 Microsoft+BITS/7.8 404 7 0 15';
  const cases: [ConditionDef, string, string?][] = [
    [{ http: { status: 404, substatus: 7 } }, iisLine, 'u_ex260325.log'],
    [{ extension: { denied_by_default: true } }, iisLine, 'u_ex260325.log'],
    [{ path: { segment: 'bin' } }, iisLine, 'u_ex260325.log'],
    [{ path: { contains: 'SMSPKG' } }, iisLine, 'u_ex260325.log'],
    [{ code: 0x80091007 }, 'Download failed for content PS100012, error 0x80091007'],
    [{ event: { source: 'BITS', id: 16392 } }, 'BITS event 16392 was logged for the job'],
    [{ regex: 'job (?<job>[A-Z]+) failed' }, 'The job WOMBAT failed'],
    [{ text: 'failed' }, 'The job WOMBAT failed'],
  ];
  for (const [condition, text, fileName] of cases) {
    it(`${Object.keys(condition)[0]}: ${JSON.stringify(condition)}`, () => {
      const compiled = new ConditionPool(iis).compile(condition, ['c']);
      const { r, facts } = record(text, fileName);
      const values = compiled.test(r, facts);
      expect(values, 'the condition holds on its sample').toBeDefined();
      const declared = new Set(conditionValues(condition));
      for (const key of Object.keys(values ?? {})) expect(declared, `${key} is declared`).toContain(key);
    });
  }
});
