import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { fixture, fixturePath } from '../helpers/kb';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function cli(args: string[], input?: string | Buffer): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(tsx, ['bot/cli.ts', ...args], { cwd: root, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'kb-cli-'));

describe('npm run diagnose', () => {
  test('--json writes one object per file, in input order, in the documented shape', () => {
    const r = cli(['--json', fixturePath('seeds/002-smsts-iis-config-extension.log'), fixturePath('seeds/004-event-iis-ldf.txt')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    const [first, second] = lines as [Record<string, any>, Record<string, any>];
    expect(first.file).toMatch(/002-smsts-iis-config-extension\.log$/);
    expect(first).toMatchObject({ format: 'cmtrace-clipboard', lines: 11 });
    expect(first.matches[0]).toMatchObject({ id: 'iis-request-filtering-denied-extension', confidence: 'high' });
    for (const key of ['id', 'title', 'confidence', 'score', 'cause', 'resolution', 'links', 'evidence']) expect(first.matches[0]).toHaveProperty(key);
    expect(first.matches[0].evidence[0]).toEqual({ line: expect.any(Number), text: expect.any(String), signature: expect.any(String) });
    expect(first.codes[0]).toEqual(expect.objectContaining({ code: expect.stringMatching(/^0x[0-9A-F]{8}$/), decimal: expect.any(Number), facility: expect.any(String), notes: expect.any(Array) }));
    expect(second.matches[0].values.extension).toBe('.ldf');
  });

  test('reads standard input when there is no FILE or FILE is "-"', () => {
    for (const args of [['--json'], ['--json', '-']]) {
      const r = cli(args, '0x80190194\n');
      expect(r.code).toBe(0);
      const d = JSON.parse(r.stdout) as { file: null; codes: { code: string; name: string }[] };
      expect(d.file).toBeNull();
      expect(d.codes[0]).toMatchObject({ code: '0x80190194', name: 'BG_E_HTTP_ERROR_404' });
    }
  });

  test('a readable report names the cause, the steps, the evidence lines and the codes', () => {
    const r = cli([fixturePath('seeds/000-cas-webdav-drive-root.log')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('webdav-drive-root-hash-mismatch');
    expect(r.stdout).toContain('confidence high');
    expect(r.stdout).toMatch(/Cause: /);
    expect(r.stdout).toMatch(/Resolution:\n\s+1\. /);
    expect(r.stdout).toContain('line 7 [zero-files-then-hash-mismatch]: There are 0 files in the directory compared to 1 expected files');
    expect(r.stdout).toContain('0x80091007 (-2146889721)  CRYPT_E_HASH_VALUE');
  });

  test('a UTF-16 LE log with a BOM, as CMTrace writes it, is read', () => {
    const file = join(tmp, 'CAS.log');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixture('seeds/000-cas-webdav-drive-root.log').replace(/\n/g, '\r\n'), 'utf16le')]));
    const d = JSON.parse(cli(['--json', file]).stdout) as { matches: { id: string }[] };
    expect(d.matches[0]?.id).toBe('webdav-drive-root-hash-mismatch');
  });

  test('empty input runs and says nothing matched', () => {
    const r = cli([], '');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No KB entry matches this paste.');
  });

  test.each([
    ['an unreadable file', ['/nonexistent/CAS.log'], /^diagnose: cannot read \/nonexistent\/CAS\.log: ENOENT\n$/],
    ['an unknown option', ['--frobnicate'], /^diagnose: unknown option --frobnicate\n/],
    ['a folder', [tmpdir()], /^diagnose: cannot read .*: not a regular file\n$/],
  ])('%s: exit 2 with a one-line message', (_name, args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  test('binary input: exit 2 with a clear message, no crash', () => {
    const file = join(tmp, 'logs.zip');
    writeFileSync(file, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 9, 8, 7]));
    const r = cli([file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^diagnose: .*logs\.zip: the data is not text/);
  });

  test('input over --max-bytes is refused with what to do', () => {
    const r = cli(['--max-bytes', '100', fixturePath('seeds/002-smsts-iis-config-extension.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/larger than 100 bytes; pass the part of the log around the failure/);
  });
});
