import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The built command line, as `npm run diagnose` runs it: scripts/run.mjs builds dist/ when
 * it is missing or out of date, then the CLI answers from the prebuilt KB bundle without
 * a notice; the answer is the one the TypeScript sources give.
 */
function run(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['scripts/run.mjs', 'cli', ...args], { input, encoding: 'utf8', timeout: 120_000 });
}

describe('the built command line', () => {
  it('answers a bare code from the bundle: the symptom, its causes, the decoded code', () => {
    const r = run(['--json'], '0x80091007\n');
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('loading the KB from its Markdown');
    const d = JSON.parse(r.stdout.trim()) as { symptom: { id: string } | null; codes: { name: string }[]; matches: { confidence: string }[] };
    expect(d.symptom?.id).toBe('hash-mismatch');
    expect(d.codes[0]?.name).toBe('CRYPT_E_HASH_VALUE');
    expect(d.matches.every((m) => m.confidence === 'low')).toBe(true);
  }, 130_000);

  it('gives the same JSON as the sources on a seed article excerpt', () => {
    const paste = '2010-06-21 14:02:11 10.1.1.20 HEAD /SMS_DP_SMSPKGE$/ABC00123/bin/helper.dll - 80 - 10.1.5.33 Microsoft+BITS/7.5 404 8 0 109\n';
    const built = run(['--json'], paste);
    const sources = spawnSync(process.execPath, ['--import', 'tsx', 'bot/cli.ts', '--json'], { input: paste, encoding: 'utf8', timeout: 120_000 });
    expect(built.status).toBe(0);
    expect(built.stdout).toBe(sources.stdout);
    expect(JSON.parse(built.stdout).matches[0].id).toBe('iis-request-filtering-hidden-segment');
  }, 130_000);

  it('answers a question in prose as the sources do: the full-text index and lunr load on that first search', () => {
    const question = 'clients cannot download content from the distribution point, the download is stuck at 0% and BITS keeps retrying\n';
    const built = run(['--json'], question);
    const sources = spawnSync(process.execPath, ['--import', 'tsx', 'bot/cli.ts', '--json'], { input: question, encoding: 'utf8', timeout: 120_000 });
    expect(built.status).toBe(0);
    expect(built.stderr).not.toContain('loading the KB from its Markdown');
    expect(built.stdout).toBe(sources.stdout);
    const d = JSON.parse(built.stdout) as { matches: { id: string; cause: string }[] };
    expect(d.matches.length).toBeGreaterThan(0);
    expect(d.matches[0]?.cause.length).toBeGreaterThan(0);
  }, 130_000);
});
