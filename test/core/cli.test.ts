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
    ['an unreadable file', ['/nonexistent/CAS.log'], /^diagnose: cannot read \/nonexistent\/CAS\.log: ENOENT\n$/, /^== \/nonexistent\/CAS\.log: not diagnosed\n   error: cannot read: ENOENT\n$/],
    ['an unknown option', ['--frobnicate'], /^diagnose: unknown option --frobnicate\n/, /^$/],
    ['a bad --top', ['--top', '0'], /^diagnose: --top needs a positive whole number of answers\n/, /^$/],
    ['a bad --max-line-length', ['--max-line-length', 'x'], /^diagnose: --max-line-length needs a positive whole number of characters\n/, /^$/],
    ['a folder', [tmpdir()], /^diagnose: cannot read .*: not a regular file\n$/, /^== .*: not diagnosed\n   error: cannot read: not a regular file\n$/],
  ])('%s: exit 2 with a one-line message', (_name, args, message, report) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toMatch(report);
  });

  test('binary input: exit 2 with a clear message, no crash', () => {
    const file = join(tmp, 'logs.zip');
    writeFileSync(file, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 9, 8, 7]));
    const r = cli([file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^diagnose: .*logs\.zip: the data is not text/m);
    expect(r.stdout).toMatch(/^== .*logs\.zip: not diagnosed\n   error: the data is not text/);
  });

  test('input over --max-bytes is refused with what to do', () => {
    const r = cli(['--max-bytes', '100', fixturePath('seeds/002-smsts-iis-config-extension.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/larger than 100 bytes; pass the part of the log around the failure/);
  });

  test('usage text documents the exit status and the options', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const part of ['--top N', '--max-line-length N', '(default 8192)', 'Exit status: 0 every input was diagnosed; 1 some inputs could not be read']) expect(r.stdout).toContain(part);
  });
});

/** A CAS.log excerpt in CMTrace's format. */
const CAS = [
  'There are 0 files in the directory compared to 1 expected files',
  'Hash matching failed.',
  'Download failed for content PackageGUID.X under context System, error 0x80091007',
].map((m, i) => `<![LOG[${m}]LOG]!><time="00:31:2${i}.000+000" date="03-25-2010" component="ContentAccess" context="" type="3" thread="2096" file="contentaccess.cpp:${100 + i}">`).join('\r\n') + '\r\n';

function jsonLines(stdout: string): Record<string, any>[] {
  return stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
}

describe('npm run diagnose: NUL padding, one answer per file, --top, --max-line-length', () => {
  const exe = join(tmp, 'tool.exe');
  const bytes = Buffer.alloc(20_000);
  bytes.write('MZ', 0, 'latin1');
  let s = 7;
  for (let i = 64; i < bytes.length; i++) bytes[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 16 & 0xff;
  writeFileSync(exe, bytes);
  const a = fixturePath('seeds/002-smsts-iis-config-extension.log');
  const b = fixturePath('seeds/004-event-iis-ldf.txt');

  test.each([
    ['UTF-8', Buffer.from(CAS, 'utf8'), 1],
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CAS, 'utf16le')]), 2],
  ])('a %s CAS.log followed by 64 KB of NULs is diagnosed like the same text without them', (name, text, width) => {
    const clean = join(tmp, `clean-${width}.log`);
    const padded = join(tmp, `padded-${width}.log`);
    writeFileSync(clean, text);
    writeFileSync(padded, Buffer.concat([text, Buffer.alloc(64 * 1024 * width)]));
    const r = cli(['--json', clean, padded]);
    expect(r.code, name).toBe(0);
    const [c, p] = jsonLines(r.stdout) as [Record<string, any>, Record<string, any>];
    expect(c.matches[0].id).toBe('webdav-drive-root-hash-mismatch');
    expect({ ...p, file: null }).toEqual({ ...c, file: null });
  });

  test('a binary between two logs: both logs are diagnosed, the binary gets an error block, exit 1', () => {
    const r = cli([a, exe, b]);
    expect(r.code).toBe(1);
    const blocks = r.stdout.split(/^(?===)/m);
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toContain('iis-request-filtering-denied-extension');
    expect(blocks[1]).toMatch(/^== .*tool\.exe: not diagnosed\n   error: the data is not text/);
    expect(blocks[2]).toMatch(/^== .*004-event-iis-ldf\.txt: /);
    expect(blocks[2]).toContain('iis-request-filtering-denied-extension');
    expect(r.stderr).toMatch(/^diagnose: .*tool\.exe: the data is not text/m);
  });

  test('--json: one line per input in order, {"file", "error"} for the ones that could not be read', () => {
    const r = cli(['--json', a, exe, '/nonexistent/b.log', b]);
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(4);
    expect(lines[0]?.matches[0].id).toBe('iis-request-filtering-denied-extension');
    expect(lines[1]).toEqual({ file: exe, error: expect.stringMatching(/^the data is not text/) });
    expect(lines[2]).toEqual({ file: '/nonexistent/b.log', error: 'cannot read: ENOENT' });
    expect(lines[3]?.file).toBe(b);
    expect(lines[3]?.matches[0].id).toBe('iis-request-filtering-denied-extension');
  });

  test('no input could be read: exit 2, every file still has its error', () => {
    const r = cli(['--json', exe, '/nonexistent/b.log']);
    expect(r.code).toBe(2);
    expect(jsonLines(r.stdout).map((l) => Object.keys(l))).toEqual([['file', 'error'], ['file', 'error']]);
  });

  test('an input over --max-bytes is its own error; the others are diagnosed', () => {
    const r = cli(['--json', '--max-bytes', '1000', fixturePath('seeds/002-smsts-iis-config-extension.log'), fixturePath('seeds/004-event-iis-ldf.txt')]);
    expect(r.code).toBe(1);
    const [big, small] = jsonLines(r.stdout);
    expect(big?.error).toMatch(/larger than 1000 bytes/);
    expect(small?.matches[0].id).toBe('iis-request-filtering-denied-extension');
  });

  const seed1 = fixturePath('seeds/001-execmgr-cas-stale-content.log');

  test('--top N: N answers in full, the others one line each; without it the report is unchanged', () => {
    const plain = cli([seed1]).stdout;
    // The top answer here is not high, so the report shows every answer in full.
    expect(plain.match(/^ {3}Cause: /gm)).toHaveLength(5);
    const top1 = cli(['--top', '1', seed1]);
    expect(top1.code).toBe(0);
    expect(top1.stdout.match(/^ {3}Cause: /gm)).toHaveLength(1);
    expect(top1.stdout.match(/^\d\. /gm)).toEqual(['1. ', '2. ', '3. ', '4. ', '5. ']);
    // The others are one line each: title, then id, confidence, score and basis; no cause.
    expect(top1.stdout).toMatch(/\n\n2\. .*\n {3}\[[a-z0-9-]+\] confidence low, score [\d.]+ \([^)\n]+\)\n\n3\. /);
    expect(top1.stdout).toContain('\nError codes:\n');
    expect(top1.stdout.slice(top1.stdout.indexOf('\n\nError codes:'))).toBe(plain.slice(plain.indexOf('\n\nError codes:')));
    expect(top1.stdout.slice(0, top1.stdout.indexOf('\n\n2. '))).toBe(plain.slice(0, plain.indexOf('\n\n2. ')));
    expect(cli(['--top', '5', seed1]).stdout).toBe(plain);
    const top2 = cli(['--top', '2', b]).stdout;
    expect(cli([b]).stdout.match(/^ {3}Cause: /gm)).toHaveLength(1);
    expect(top2.match(/^ {3}Cause: /gm)).toHaveLength(2);
  });

  test('--top N with --json lists at most N matches', () => {
    const all = jsonLines(cli(['--json', seed1]).stdout)[0];
    const two = jsonLines(cli(['--json', '--top', '2', seed1]).stdout)[0];
    expect(all?.matches).toHaveLength(5);
    expect(two?.matches).toEqual(all?.matches.slice(0, 2));
  });

  test('--max-line-length N cuts longer lines before matching and says so; the default is 8192', () => {
    const file = join(tmp, 'long.log');
    writeFileSync(file, `${'x'.repeat(9000)} error 0x80091007\nshort line error 0x80190194\n`);
    const dflt = jsonLines(cli(['--json', file]).stdout)[0];
    expect(dflt?.warnings).toContain('1 line(s) longer than 8192 characters were cut to that length before matching.');
    const cut = jsonLines(cli(['--json', '--max-line-length', '100', file]).stdout)[0];
    expect(cut?.warnings).toContain('1 line(s) longer than 100 characters were cut to that length before matching.');
    expect(cut?.codes.map((c: { code: string }) => c.code)).toEqual(['0x80190194']);
    const wide = jsonLines(cli(['--json', '--max-line-length', '20000', file]).stdout)[0];
    expect(wide?.warnings.join(' ')).not.toMatch(/cut/);
    expect(wide?.codes.map((c: { code: string }) => c.code)).toEqual(['0x80091007', '0x80190194']);
  });
});
