import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatGithub } from '../../kb/check/format';
import { regexProblems, regexSites } from '../../kb/check/regex-problems';
import { checkKnowledgeBaseFolder } from '../../kb/check/run-check';

/** `npm run kb:check` as a contributor and CI run it: a child process, its output and exit status. */
function kbCheck(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'kb/check/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, GITHUB_ACTIONS: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe('kb:check command line', () => {
  it('prints file:line:column CODE message and exits 1 on an error', () => {
    const r = kbCheck('--kb', 'test/fixtures/lint/KB012');
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('test/fixtures/lint/KB012/entries/quokka-http-link.md:12:10 KB012 link "http://learn.microsoft.com/troubleshoot/mem/configmgr/" must be an https:// address');
    expect(r.stdout).toMatch(/kb:check: 1 entries, 1 signatures, \d+ codes, \d+ baseline logs; 1 error\(s\), 0 warning\(s\)/);
  }, 60_000);

  it('exits 0 when there are only warnings, and marks them as warnings', () => {
    const r = kbCheck('--kb', 'test/fixtures/lint/KB014');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('test/fixtures/lint/KB014/entries/quokka-placeholder.md:23:37 KB014 warning: no signature of this entry extracts {{cable}}');
    expect(r.stdout).toContain('0 error(s), 2 warning(s)');
  }, 60_000);

  it('sorts problems by file, line and column', () => {
    const r = kbCheck('--kb', 'test/fixtures/lint/KB010');
    const positions = r.stdout.trim().split('\n').filter((l) => /^test\//.test(l)).map((l) => l.split(' ')[0] as string);
    expect(positions).toEqual([
      'test/fixtures/lint/KB010/entries/quokka-weak.md:6:5',
      'test/fixtures/lint/KB010/entries/quokka-weak.md:6:5',
      'test/fixtures/lint/KB010/entries/quokka-weak.md:10:5',
    ]);
  }, 60_000);

  it('prints GitHub annotations with --format github', () => {
    const r = kbCheck('--kb', 'test/fixtures/lint/KB013', '--format', 'github');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^::warning file=test\/fixtures\/lint\/KB013\/entries\/quokka-unknown-code\.md,line=9,col=15,title=KB013 \(kb%3Acheck\)::KB013 code 0x80FF1234 has no row/m);
  });

  it('checks a folder of entries with the project code tables (--entries)', () => {
    const r = kbCheck('--entries', 'test/fixtures/lint/KB008/entries', '--no-baseline');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('test/fixtures/lint/KB008/entries/quokka-negative.md:17:7 KB008 no_match example 1 produces this entry with high confidence');
    expect(r.stdout).toContain('0 baseline logs');
  }, 60_000);

  it('refuses an option without its value, with exit status 2 and the usage', () => {
    const r = kbCheck('--kb');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--kb needs a value');
    expect(r.stderr).toContain('usage: npm run kb:check');
  });
});

describe('regex safety is proved when the KB is checked', () => {
  it('finds catastrophic backtracking with recheck when no verdict is cached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-redos-'));
    temps.push(dir);
    cpSync('test/fixtures/lint/KB006/entries', join(dir, 'entries'), { recursive: true });
    const { problems } = await checkKnowledgeBaseFolder({ kbDir: dir, baselineDir: null, regexTimeoutMs: 90_000 });
    expect(problems.map((p) => [p.code, p.line])).toEqual([['KB006', 9]]);
    expect(problems[0]?.message).toMatch(/polynomial|exponential/);
  }, 200_000);

  it('also fails a regex that recheck could not prove safe in time', async () => {
    const { loaded } = await checkKnowledgeBaseFolder({ kbDir: 'test/fixtures/lint/KB009', baselineDir: null });
    const sites = regexSites(loaded.entries);
    const problems = regexProblems(sites, new Map(sites.map((s) => [s.source, { status: 'unknown' as const }])));
    expect(problems.map((p) => [p.code, p.severity])).toEqual([['KB006', 'error']]);
    expect(problems[0]?.message).toContain('could not be proved safe');
  });
});

describe('GitHub annotation format', () => {
  it('escapes the characters workflow commands reserve', () => {
    const line = formatGithub({ file: 'kb/entries/a,b.md', line: 3, column: 7, code: 'KB004', severity: 'error', message: '100% wrong:\nsecond line' });
    expect(line).toBe('::error file=kb/entries/a%2Cb.md,line=3,col=7,title=KB004 (kb%3Acheck)::KB004 100%25 wrong:%0Asecond line');
  });
});
