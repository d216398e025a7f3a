import { describe, expect, it } from 'vitest';
import { checkKnowledgeBaseFolder } from '../../kb/check/run-check';

/**
 * The linter tested the way tldr-lint tests itself: one small KB per code under
 * test/fixtures/lint/<CODE>/ that breaks exactly one rule, and a folder of tricky but valid
 * entries that must produce nothing. Each fixture lists every problem it must produce
 * (code, file inside the fixture, line, severity), so an extra or a moved problem fails too.
 */
type Expected = [code: string, file: string, line: number, severity: 'error' | 'warning'];

const FIXTURES: Record<string, Expected[]> = {
  KB001: [['KB001', 'entries/quokka-share-failure.md', 2, 'error']],
  KB002: [
    ['KB001', 'entries/quokka-b.md', 2, 'error'],
    ['KB002', 'entries/quokka-b.md', 2, 'error'],
  ],
  KB003: [
    ['KB003', 'entries/bad-yaml.md', 3, 'error'],
    ['KB003', 'entries/no-front-matter.md', 1, 'error'],
  ],
  KB004: [
    ['KB004', 'entries/quokka-bad-condition.md', 7, 'error'],
    ['KB004', 'entries/quokka-schema.md', 5, 'error'],
  ],
  // The signature that does not compile cannot fire on its example either.
  KB005: [
    ['KB005', 'entries/quokka-regex.md', 9, 'error'],
    ['KB007', 'entries/quokka-regex.md', 15, 'error'],
  ],
  KB006: [['KB006', 'entries/quokka-redos.md', 9, 'error']],
  // Example 1 is outranked by another entry; example 2 finds the entry by full-text search only.
  KB007: [
    ['KB007', 'entries/quokka-top.md', 15, 'error'],
    ['KB007', 'entries/quokka-top.md', 16, 'error'],
  ],
  KB008: [['KB008', 'entries/quokka-negative.md', 17, 'error']],
  KB009: [['KB009', 'entries/quokka-extract.md', 16, 'error']],
  // A lone 404 at high confidence is an error, and fires on the healthy IIS log's favicon 404;
  // a common code plus a three-letter text at medium confidence is a warning.
  KB010: [
    ['KB010', 'entries/quokka-weak.md', 6, 'error'],
    ['KB015', 'entries/quokka-weak.md', 6, 'error'],
    ['KB010', 'entries/quokka-weak.md', 10, 'warning'],
  ],
  KB011: [
    ['KB011', 'entries/quokka-no-resolution.md', 19, 'error'],
    ['KB011', 'entries/quokka-no-steps.md', 23, 'error'],
  ],
  KB012: [['KB012', 'entries/quokka-http-link.md', 12, 'error']],
  KB013: [['KB013', 'entries/quokka-unknown-code.md', 9, 'warning']],
  // {{file}} in Symptoms is never filled; {{cable}} has no fallback and no extractor; {{package}} is fine.
  KB014: [
    ['KB014', 'entries/quokka-placeholder.md', 20, 'warning'],
    ['KB014', 'entries/quokka-placeholder.md', 23, 'warning'],
  ],
  KB015: [['KB015', 'entries/quokka-baseline-hit.md', 6, 'error']],
  // Its own baseline: one allowed hit (silent), one stale item, one item naming a missing entry.
  KB016: [
    ['KB016', 'baseline/allow-list.yaml', 5, 'warning'],
    ['KB016', 'baseline/allow-list.yaml', 8, 'warning'],
  ],
  KB017: [['KB017', 'baseline/allow-list.yaml', 2, 'error']],
  KB018: [
    ['KB018', 'entries/quokka-duplicates.md', 10, 'warning'],
    ['KB018', 'entries/quokka-duplicates.md', 17, 'warning'],
  ],
  KB019: [['KB019', 'entries/quokka-draft.md', 3, 'error']],
  // The title and the text condition are cut at " #"; the quoted tags, the comment meant as
  // one and the block example are not.
  KB020: [
    ['KB020', 'entries/quokka-cut.md', 3, 'error'],
    ['KB020', 'entries/quokka-cut.md', 10, 'error'],
  ],
  KB301: [['KB301', 'codes/fixture.tsv', 2, 'error']],
  KB302: [['KB302', 'codes/fixture.tsv', 2, 'error']],
  KB303: [['KB303', 'codes/fixture.tsv', 2, 'error']],
  KB304: [['KB304', 'codes/fixture.tsv', 2, 'error']],
  KB305: [['KB305', 'codes/fixture.tsv', 3, 'error']],
  KB306: [['KB306', 'iis/request-filtering.yaml', 1, 'error']],
  KB401: [['KB401', 'families/quokka-escape.yaml', 2, 'error']],
  KB402: [['KB402', 'families/quokka-escape.yaml', 15, 'error'], ['KB402', 'families/quokka-escape.yaml', 23, 'error'], ['KB402', 'situations.yaml', 4, 'error']],
  KB403: [['KB403', 'families/quokka-escape.yaml', 1, 'error']],
  KB404: [['KB404', 'families/quokka-escape.yaml', 14, 'error'], ['KB404', 'families/quokka-escape.yaml', 19, 'error']],
  KB405: [['KB405', 'families/quokka-escape.yaml', 18, 'error']],
  KB407: [['KB407', 'families/quokka-escape.yaml', 23, 'error']],
  KB408: [['KB408', 'families/quokka-escape.yaml', 24, 'error']],
  KB409: [['KB409', 'families/quokka-escape.yaml', 26, 'error']],
  KB410: [['KB410', 'families/quokka-escape.yaml', 11, 'error']],
  KB411: [['KB411', 'families/quokka-escape.yaml', 19, 'error']],
};

describe('kb:check on one failing fixture KB per lint code', () => {
  for (const [code, expected] of Object.entries(FIXTURES)) {
    it(`${code}: reports ${expected.map((e) => `${e[0]} at ${e[1]}:${e[2]}`).join(', ')}`, async () => {
      const dir = `test/fixtures/lint/${code}`;
      const { problems } = await checkKnowledgeBaseFolder({ kbDir: dir });
      const got = problems.map((p): Expected => [p.code, p.file.replace(`${dir}/`, ''), p.line, p.severity]);
      expect(got).toEqual(expected);
      for (const p of problems) {
        expect(p.file.startsWith(`${dir}/`), `${p.file} is inside the fixture`).toBe(true);
        expect(p.column).toBeGreaterThanOrEqual(1);
        // Every message says what to do, not only what is wrong.
        expect(p.message.length).toBeGreaterThan(30);
      }
    }, 60_000);
  }
});

describe('kb:check on tricky but valid entries', () => {
  it('reports no problem at all, over the shared baseline logs', async () => {
    const { problems, loaded, baselineLogs } = await checkKnowledgeBaseFolder({ kbDir: 'test/fixtures/lint/valid' });
    expect(problems).toEqual([]);
    expect(loaded.entries.map((e) => e.front.id).sort()).toEqual([
      'crlf-and-continued-steps',
      'named-group-feeds-placeholder',
      'search-only-entry',
      'status-values-with-fallbacks',
      'weak-any-under-specific-all',
    ]);
    expect(baselineLogs).toBeGreaterThanOrEqual(14);
  }, 60_000);

  it('reads CRLF entries with their steps and continuation lines', async () => {
    const { loaded } = await checkKnowledgeBaseFolder({ kbDir: 'test/fixtures/lint/valid', baselineDir: null });
    const crlf = loaded.entries.find((e) => e.front.id === 'crlf-and-continued-steps');
    expect(crlf?.body.steps).toEqual(['Give the step a quokka.\nKeep it fed:\n- one carrot a day.', 'Run the step again.']);
  });
});

describe('kb:check on the project KB wiring', () => {
  it('runs every entry over every baseline log except README.md and allow-list.yaml, and the allow-list parses', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync('test/fixtures/baseline').filter((n) => n !== 'README.md' && n !== 'allow-list.yaml');
    const { problems, baselineLogs } = await checkKnowledgeBaseFolder({ writeRegexCache: false });
    expect(baselineLogs).toBe(files.length);
    expect(problems.filter((p) => p.file.startsWith('test/fixtures/baseline/') && p.severity === 'error')).toEqual([]);
  }, 120_000);
});
