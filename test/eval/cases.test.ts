import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { crossCheck, formatCaseProblem, halfForUrl, loadCases, normalizeUrl, validateCaseList, type LoadedCase } from '../../eval/cases';

const ENTRIES_DIR = fileURLToPath(new URL('../../kb/entries/', import.meta.url));
const entryIds = new Set(readdirSync(ENTRIES_DIR).filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3)));
const { cases, problems } = loadCases();

describe('evaluation cases (eval/cases/*.yaml)', () => {
  it('both files parse and every case matches the schema', () => {
    expect(problems.map(formatCaseProblem)).toEqual([]);
  });

  it('has enough real cases, off-topic ones included, in both halves', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(cases.filter((c) => c.kind === 'off-topic').length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => c.half === 'dev').length).toBeGreaterThan(0);
    expect(cases.filter((c) => c.half === 'heldout').length).toBeGreaterThan(0);
  });

  it('ids are unique across both halves', () => {
    const seen = new Set<string>();
    const dup = cases.filter((c) => (seen.has(c.id) ? true : (seen.add(c.id), false))).map((c) => c.id);
    expect(dup).toEqual([]);
  });

  it('every expected entry exists in kb/entries', () => {
    const missing = cases.filter((c) => c.expect.entry !== null && !entryIds.has(c.expect.entry)).map((c) => `${c.id}: ${c.expect.entry}`);
    expect(missing).toEqual([]);
  });

  it('every source is an https URL and no URL has cases in both halves', () => {
    expect(cases.filter((c) => !c.source.startsWith('https://')).map((c) => c.id)).toEqual([]);
    const halves = new Map<string, Set<string>>();
    for (const c of cases) {
      const key = normalizeUrl(c.source);
      halves.set(key, (halves.get(key) ?? new Set()).add(c.half));
    }
    expect([...halves].filter(([, h]) => h.size > 1).map(([u]) => u)).toEqual([]);
  });

  it('held-out cases are there by the hash of their source URL (only dev takes exceptions)', () => {
    expect(cases.filter((c) => c.half === 'heldout' && halfForUrl(c.source) !== 'heldout').map((c) => c.id)).toEqual([]);
  });
});

describe('case validation', () => {
  const good = {
    id: 'dev-001',
    kind: 'line',
    source: 'https://example.com/thread/1',
    source_title: 't',
    cause: 'c',
    expect: { entry: null, family: 'http-404', words: ['w'] },
    text: 'x\n',
  };

  it('accepts a well-formed case', () => {
    expect(validateCaseList([good], 'dev').problems).toEqual([]);
  });

  it('names what is wrong', () => {
    const bad = [
      { ...good, id: 'ho-001' },
      { ...good, source: 'http://example.com/x' },
      { ...good, expect: { entry: null, family: 'http-418', words: ['w'] } },
      { ...good, expect: { entry: null, family: null, words: [] } },
      { ...good, kind: 'off-topic', expect: { entry: 'x', family: null, words: ['w'] } },
      { ...good, extra: 1 },
    ];
    const messages = validateCaseList(bad, 'dev').problems.map((p) => p.message);
    expect(messages.join('\n')).toMatch(/id must look like dev-NNN/);
    expect(messages.join('\n')).toMatch(/https URL/);
    expect(messages.join('\n')).toMatch(/expect.family must be null or one of/);
    expect(messages.join('\n')).toMatch(/1 to 3/);
    expect(messages.join('\n')).toMatch(/off-topic case expects entry: null/);
    expect(messages.join('\n')).toMatch(/unknown key "extra"/);
  });

  it('finds a URL split across halves, whatever its spelling', () => {
    const a = { ...good, half: 'dev', source: 'https://learn.microsoft.com/en-us/troubleshoot/x#y' } as LoadedCase;
    const b = { ...good, id: 'ho-001', half: 'heldout', source: 'https://docs.microsoft.com/troubleshoot/x/' } as LoadedCase;
    expect(crossCheck([a, b]).map((p) => p.message)).toEqual([`source ${b.source} has cases in both halves`]);
  });
});
