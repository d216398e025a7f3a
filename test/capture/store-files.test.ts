import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptureRecord, FeedbackRecord, OutcomeRecord, SampleRecord } from '../../capture/records';
import { FileCaptureStore } from '../../capture/store-files';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function outcome(at: string, id = '3f9a0c1d2b4e5f60', overrides: Partial<OutcomeRecord> = {}): OutcomeRecord {
  return {
    type: 'outcome',
    id,
    at,
    channel: 'teams',
    outcome: 'high',
    entries: ['iis-request-filtering-denied-extension'],
    family: null,
    codes: ['0x80190194'],
    statuses: ['404.7'],
    extensions: ['.config'],
    hiddenSegments: [],
    formats: ['iis'],
    lines: 42,
    latencyMs: 18,
    partial: false,
    cut: false,
    kbHash: 'a41c09e2',
    ...overrides,
  };
}

function feedback(at: string, id = '3f9a0c1d2b4e5f60'): FeedbackRecord {
  return { type: 'feedback', id, at, channel: 'teams', verdict: 'not-helpful', entry: 'iis-request-filtering-denied-extension', family: null };
}

function sample(at: string, id = '77aa01bc34de56f0'): SampleRecord {
  return {
    type: 'sample',
    id,
    at,
    reason: 'none',
    text: '<![LOG[Download failed for content PS100031.1 under context System, error 0x80190194]LOG]!><time="10:20:07.000+00" date="03-25-2026" component="DataTransferService" context="" type="3" thread="4412" file="dcomobject.cpp:1189">\nERROR FILE: http://<host-1>:80/SMS_DP_SMSPKG$/PS100031/Tools/OSDResults/OSDResults.exe.config',
    replaced: { host: 1 },
    summary: '1 host',
  };
}

const dirs: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'capture-files-'));
  dirs.push(dir);
  return join(dir, 'data');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    try {
      chmodSync(join(dir, 'data', 'capture'), 0o700);
    } catch {
      // not made read-only by this test
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

async function all(store: FileCaptureStore, options?: { since?: Date }): Promise<CaptureRecord[]> {
  const out: CaptureRecord[] = [];
  for await (const record of store.read(options)) out.push(record);
  return out;
}

describe('FileCaptureStore', () => {
  it('gives back what was appended, in order, one JSON line per record', async () => {
    const dataDir = tempDataDir();
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    const records = [outcome('2026-12-02T09:15:00.000Z'), feedback('2026-12-02T09:16:30.000Z'), sample('2026-12-02T09:20:00.000Z')];
    await store.append(records.slice(0, 2));
    await store.append(records.slice(2));
    expect(await all(store)).toEqual(records);
    const text = readFileSync(join(dataDir, 'capture', '2026-12-02.jsonl'), 'utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text.split('\n')[2] ?? '')).toEqual(records[2]);
    expect(store.describe).toBe(`files:${dataDir}`);
    await store.close();
  });

  it('splits days at UTC midnight and reads the oldest day first', async () => {
    const dataDir = tempDataDir();
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    const late = outcome('2026-12-01T23:59:59.999Z', '0000000000000001');
    const early = outcome('2026-12-02T00:00:00.000Z', '0000000000000002');
    // Written newest first (one batch spanning midnight): still read by day.
    await store.append([early, late]);
    expect(readdirSync(join(dataDir, 'capture')).sort()).toEqual(['2026-12-01.jsonl', '2026-12-02.jsonl']);
    expect((await all(store)).map((r) => r.id)).toEqual(['0000000000000001', '0000000000000002']);
    // A local time east of UTC is still the UTC day.
    await store.append([outcome('2026-12-03T00:30:00+02:00', '0000000000000003')]);
    expect(readFileSync(join(dataDir, 'capture', '2026-12-02.jsonl'), 'utf8')).toContain('0000000000000003');
  });

  it('reads only records at or after `since`', async () => {
    const store = new FileCaptureStore({ dataDir: tempDataDir(), retentionDays: 30 });
    await store.append([
      outcome('2026-11-29T10:00:00.000Z', '00000000000000a1'),
      outcome('2026-11-30T11:59:59.000Z', '00000000000000a2'),
      outcome('2026-11-30T12:00:00.000Z', '00000000000000a3'),
      feedback('2026-12-01T08:00:00.000Z', '00000000000000a3'),
    ]);
    const since = await all(store, { since: new Date('2026-11-30T12:00:00.000Z') });
    expect(since.map((r) => `${r.type}:${r.id}`)).toEqual(['outcome:00000000000000a3', 'feedback:00000000000000a3']);
    expect(await all(store, { since: new Date('2026-12-05T00:00:00.000Z') })).toEqual([]);
  });

  it('skips and counts a torn last line, and the next append starts on a line of its own', async () => {
    const dataDir = tempDataDir();
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    await store.append([outcome('2026-12-02T09:00:00.000Z', '00000000000000b1'), outcome('2026-12-02T09:01:00.000Z', '00000000000000b2')]);
    // What a crash in the middle of a write leaves behind.
    const file = join(dataDir, 'capture', '2026-12-02.jsonl');
    appendFileSync(file, '{"type":"outcome","id":"00000000000000b3","at":"2026-12-02T09:02:00.000Z","channel":"te');
    expect((await all(store)).map((r) => r.id)).toEqual(['00000000000000b1', '00000000000000b2']);
    expect(store.skippedLines).toBe(1);

    await store.append([outcome('2026-12-02T09:05:00.000Z', '00000000000000b4')]);
    expect((await all(store)).map((r) => r.id)).toEqual(['00000000000000b1', '00000000000000b2', '00000000000000b4']);
    expect(store.skippedLines).toBe(2);
  });

  it('keeps whole lines when two processes append 500 records each at the same time', async () => {
    const dataDir = tempDataDir();
    const child = `
      import { FileCaptureStore } from ${JSON.stringify(join(ROOT, 'capture', 'store-files.ts'))};
      const store = new FileCaptureStore({ dataDir: process.env.DATA_DIR, retentionDays: 30 });
      const writer = process.env.WRITER;
      // A few kilobytes each, like a redacted sample, so that writes are large enough to tear.
      const text = ('[' + writer + '] Download failed for content PS100031.1, error 0x80190194 ').repeat(40);
      process.stdout.write('ready\\n');
      await new Promise((resolve) => process.stdin.once('data', resolve));
      for (let i = 0; i < 500; i++) {
        const id = (writer + i.toString(16)).padStart(16, '0');
        await store.append([{ type: 'sample', id, at: '2026-12-02T10:00:00.000Z', reason: 'none', text: text + i, replaced: {}, summary: '' }]);
      }
      process.stdin.destroy();
    `;
    const run = (writer: string) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, WRITER: writer },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const ready = new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()));
      const done = new Promise<void>((resolve, reject) =>
        proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${writer} exited ${code}: ${stderr}`)))),
      );
      return { proc, ready, done };
    };
    const writers = [run('a'), run('b')];
    try {
      await Promise.all(writers.map((w) => w.ready));
      for (const w of writers) w.proc.stdin.write('go\n');
      await Promise.all(writers.map((w) => w.done));
    } finally {
      for (const w of writers) if (w.proc.exitCode === null) w.proc.kill();
    }

    const text = readFileSync(join(dataDir, 'capture', '2026-12-02.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    // A writer that sees the other mid-write may start on a fresh line: blank lines are allowed, torn ones are not.
    const lines = text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(1000);
    const ids = lines.map((line) => (JSON.parse(line) as SampleRecord).id);
    expect(new Set(ids).size).toBe(1000);
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    expect((await all(store)).length).toBe(1000);
    expect(store.skippedLines).toBe(0);
  }, 60_000);

  it('deletes only the days past retention, and leaves other files alone', async () => {
    const dataDir = tempDataDir();
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    for (const at of ['2026-10-15T08:00:00.000Z', '2026-11-02T23:59:00.000Z', '2026-11-03T00:00:00.000Z', '2026-12-02T08:00:00.000Z']) {
      await store.append([outcome(at)]);
    }
    writeFileSync(join(dataDir, 'capture', 'notes.txt'), 'kept by the operator\n');
    const now = new Date('2026-12-02T13:00:00.000Z');
    // Today and the 29 days before it are kept: 2026-11-03 onwards.
    expect(await store.purgeExpired(now)).toBe(2);
    expect(readdirSync(join(dataDir, 'capture')).sort()).toEqual(['2026-11-03.jsonl', '2026-12-02.jsonl', 'notes.txt']);
    expect(await store.purgeExpired(now)).toBe(0);
    expect(await new FileCaptureStore({ dataDir, retentionDays: 1 }).purgeExpired(now)).toBe(1);
    expect((await all(store)).map((r) => r.at)).toEqual(['2026-12-02T08:00:00.000Z']);
  });

  it('purgeAll deletes every day file and says how many', async () => {
    const dataDir = tempDataDir();
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    expect(await store.purgeAll()).toBe(0); // nothing written yet, not even the folder
    await store.append([outcome('2026-11-30T10:00:00.000Z'), outcome('2026-12-01T10:00:00.000Z'), outcome('2026-12-02T10:00:00.000Z')]);
    expect(await store.purgeAll()).toBe(3);
    expect(readdirSync(join(dataDir, 'capture'))).toEqual([]);
    expect(await all(store)).toEqual([]);
  });

  it('creates its folders 0700 and its files 0600', async () => {
    const dataDir = tempDataDir();
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    await store.append([sample('2026-12-02T10:00:00.000Z')]);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'capture')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'capture', '2026-12-02.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('pings true on a writable folder and leaves nothing behind', async () => {
    const dataDir = tempDataDir();
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    expect(await store.ping()).toBe(true);
    expect(readdirSync(join(dataDir, 'capture'))).toEqual([]);
  });

  it('pings false when DATA_DIR cannot hold a folder (a file is in the way)', async () => {
    const dataDir = tempDataDir();
    mkdirSync(join(dataDir, '..'), { recursive: true });
    writeFileSync(dataDir, 'not a folder');
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    expect(await store.ping()).toBe(false);
    await expect(store.append([outcome('2026-12-02T10:00:00.000Z')])).rejects.toThrow(/ENOTDIR|EEXIST/);
  });

  it.skipIf(process.getuid?.() === 0)('pings false on a read-only folder', async () => {
    const dataDir = tempDataDir();
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    expect(await store.ping()).toBe(true);
    chmodSync(join(dataDir, 'capture'), 0o500);
    expect(await store.ping()).toBe(false);
  });
});

describe('npm run data:purge', () => {
  const purge = (env: Record<string, string>, args: string[] = []) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'data-purge.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('deletes what is past retention with --expired, then everything, even with CAPTURE=off', async () => {
    const dataDir = tempDataDir();
    const store = new FileCaptureStore({ dataDir, retentionDays: 30 });
    await store.append([outcome('2020-01-15T10:00:00.000Z'), outcome('2020-01-16T10:00:00.000Z'), outcome(new Date().toISOString())]);

    const expired = await purge({ DATA_DIR: dataDir, CAPTURE: 'off' }, ['--expired']);
    expect(expired).toMatchObject({ code: 0, stdout: `deleted 2 day files older than 30 days from files:${dataDir}\n` });
    expect(readdirSync(join(dataDir, 'capture'))).toHaveLength(1);

    const everything = await purge({ DATA_DIR: dataDir, CAPTURE: 'off' });
    expect(everything).toMatchObject({ code: 0, stdout: `deleted 1 day files from files:${dataDir}\n` });
    expect(readdirSync(join(dataDir, 'capture'))).toEqual([]);
    expect(existsSync(dataDir)).toBe(true);
  }, 30_000);

  it('refuses a bad setting or argument with exit status 2 and says why', async () => {
    const bad = await purge({ DATA_DIR: tempDataDir(), CAPTURE_RETENTION_DAYS: 'thirty' }, ['--expired']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('CAPTURE_RETENTION_DAYS must be a whole number of days, 1 or more (got "thirty")');
    const unknown = await purge({ DATA_DIR: tempDataDir() }, ['--all']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown argument "--all"');
  }, 30_000);
});
