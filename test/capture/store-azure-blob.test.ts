import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureRecord, OutcomeRecord, SampleRecord } from '../../capture/records';
import { AzureBlobCaptureStore } from '../../capture/store-azure-blob';

/*
 * Runs against Azurite's blob service, started here on loopback with in-memory storage and
 * stopped after the last test, whatever happened. The account key below is Azurite's
 * published development key, the same on every machine; it opens nothing else.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const AZURITE_BLOB = join(ROOT, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

interface Azurite {
  connectionString: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Should the worker die before afterAll runs, no Azurite is left behind.
process.once('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

async function startAzurite(): Promise<Azurite> {
  const workDir = mkdtempSync(join(tmpdir(), 'azurite-'));
  const proc = spawn(
    process.execPath,
    [AZURITE_BLOB, '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--silent', '--skipApiVersionCheck', '--disableTelemetry'],
    { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(proc);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      // In-memory storage: nothing to lose by not waiting for open keep-alive connections to close.
      const timer = setTimeout(() => proc.kill('SIGKILL'), 500);
      await exited;
      clearTimeout(timer);
    }
    running.delete(proc);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`Azurite did not start within 20 s:\n${out}`)), 20_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /successfully listens on https?:\/\/[^:]+:(\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited (${code}) before listening:\n${out}`));
      });
    });
    return {
      connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

function outcome(at: string, id: string): OutcomeRecord {
  return {
    type: 'outcome',
    id,
    at,
    channel: 'page',
    outcome: 'none',
    entries: [],
    family: 'hash-mismatch',
    codes: ['0x80091007'],
    statuses: [],
    extensions: [],
    hiddenSegments: [],
    formats: ['cmtrace'],
    lines: 12,
    latencyMs: 9,
    partial: false,
    cut: false,
  };
}

function sample(at: string, id: string, size = 600): SampleRecord {
  const line = 'Hash could not be matched for the downloaded content. Original ContentHash = 4E8F<hash-1>, Downloaded ContentHash = 9A2C<hash-2>\n';
  return { type: 'sample', id, at, reason: 'none', text: line.repeat(Math.ceil(size / line.length)).slice(0, size), replaced: { hash: 2 }, summary: '2 hashes' };
}

let azurite: Azurite;
let service: BlobServiceClient;
let containers = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
});

afterAll(async () => {
  await azurite?.stop();
});

/** A store on a container of its own, so that tests do not see each other's blobs. */
function newStore(options: { retentionDays?: number; maxBlockBytes?: number } = {}): { store: AzureBlobCaptureStore; container: string } {
  const container = `capture-test-${process.pid}-${++containers}`;
  const store = new AzureBlobCaptureStore({ connectionString: azurite.connectionString, container, retentionDays: options.retentionDays ?? 30, maxTries: 1, ...options });
  return { store, container };
}

async function all(store: AzureBlobCaptureStore, options?: { since?: Date }): Promise<CaptureRecord[]> {
  const out: CaptureRecord[] = [];
  for await (const record of store.read(options)) out.push(record);
  return out;
}

async function blobNames(container: string): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of service.getContainerClient(container).listBlobsFlat()) names.push(blob.name);
  return names.sort();
}

describe('AzureBlobCaptureStore (against Azurite)', () => {
  it('creates the container on the first append and gives back what was appended', async () => {
    const { store, container } = newStore();
    expect(await service.getContainerClient(container).exists()).toBe(false);
    expect(await all(store)).toEqual([]); // reading before anything exists is not an error
    const records = [outcome('2026-12-02T09:15:00.000Z', '5d1e0f2a3b4c5d6e'), sample('2026-12-02T09:15:01.000Z', '5d1e0f2a3b4c5d6e')];
    await store.append(records.slice(0, 1));
    await store.append(records.slice(1));
    expect(await service.getContainerClient(container).exists()).toBe(true);
    expect(await all(store)).toEqual(records);
    const props = await service.getContainerClient(container).getBlobClient('capture/2026-12-02.jsonl').getProperties();
    expect(props.blobType).toBe('AppendBlob');
    expect(props.blobCommittedBlockCount).toBe(2);
    expect(store.describe).toBe(`azure-blob:devstoreaccount1/${container}`);
  });

  it('splits days at UTC midnight into one blob per day and reads the oldest day first', async () => {
    const { store, container } = newStore();
    await store.append([outcome('2026-12-02T00:00:00.000Z', '00000000000000c2'), outcome('2026-12-01T23:59:59.999Z', '00000000000000c1')]);
    expect(await blobNames(container)).toEqual(['capture/2026-12-01.jsonl', 'capture/2026-12-02.jsonl']);
    expect((await all(store)).map((r) => r.id)).toEqual(['00000000000000c1', '00000000000000c2']);
  });

  it('reads only records at or after `since`', async () => {
    const { store } = newStore();
    await store.append([
      outcome('2026-11-29T10:00:00.000Z', '00000000000000d1'),
      outcome('2026-11-30T11:59:59.000Z', '00000000000000d2'),
      outcome('2026-11-30T12:00:00.000Z', '00000000000000d3'),
      outcome('2026-12-01T08:00:00.000Z', '00000000000000d4'),
    ]);
    expect((await all(store, { since: new Date('2026-11-30T12:00:00.000Z') })).map((r) => r.id)).toEqual(['00000000000000d3', '00000000000000d4']);
  });

  it('splits a large batch into blocks of whole lines, and refuses a record larger than a block before writing', async () => {
    const { store, container } = newStore({ maxBlockBytes: 4_000 });
    const records = Array.from({ length: 12 }, (_, i) => sample('2026-12-02T10:00:00.000Z', `00000000000001${i.toString(16).padStart(2, '0')}`, 1_500));
    await store.append(records);
    const blob = service.getContainerClient(container).getBlobClient('capture/2026-12-02.jsonl');
    // Two records of about 1.7 kB fit in a 4,000-byte block: 12 records make 6 blocks.
    expect((await blob.getProperties()).blobCommittedBlockCount).toBe(6);
    expect(await all(store)).toEqual(records);

    await expect(store.append([outcome('2026-12-03T10:00:00.000Z', '00000000000000e1'), sample('2026-12-03T10:00:00.000Z', '00000000000000e2', 5_000)])).rejects.toThrow(
      /capture record of \d+ bytes is larger than an append block \(4000 bytes\)/,
    );
    expect(await blobNames(container)).toEqual(['capture/2026-12-02.jsonl']);
  });

  it('skips and counts a line that is not a record', async () => {
    const { store, container } = newStore();
    await store.append([outcome('2026-12-02T10:00:00.000Z', '00000000000000f1')]);
    const blob = service.getContainerClient(container).getAppendBlobClient('capture/2026-12-02.jsonl');
    const junk = '{"type":"outcome","id":"00000000000000f2","at":"2026-12-02T10:0\n';
    await blob.appendBlock(junk, Buffer.byteLength(junk));
    await store.append([outcome('2026-12-02T10:05:00.000Z', '00000000000000f3')]);
    expect((await all(store)).map((r) => r.id)).toEqual(['00000000000000f1', '00000000000000f3']);
    expect(store.skippedLines).toBe(1);
  });

  it('deletes only the days past retention, and everything with purgeAll', async () => {
    const { store, container } = newStore();
    for (const at of ['2026-10-15T08:00:00.000Z', '2026-11-02T23:59:00.000Z', '2026-11-03T00:00:00.000Z', '2026-12-02T08:00:00.000Z']) {
      await store.append([outcome(at, '0000000000000a01')]);
    }
    const now = new Date('2026-12-02T13:00:00.000Z');
    expect(await store.purgeExpired(now)).toBe(2);
    expect(await blobNames(container)).toEqual(['capture/2026-11-03.jsonl', 'capture/2026-12-02.jsonl']);
    expect(await store.purgeExpired(now)).toBe(0);
    expect(await store.purgeAll()).toBe(2);
    expect(await blobNames(container)).toEqual([]);
    // Appending to a day purged since this process last wrote to it creates the blob again.
    await store.append([outcome('2026-12-02T14:00:00.000Z', '0000000000000a02')]);
    expect((await all(store)).map((r) => r.id)).toEqual(['0000000000000a02']);
  });

  it('is what npm run data:purge empties, snapshots included', async () => {
    const { store, container } = newStore();
    await store.append([outcome('2026-11-30T10:00:00.000Z', '0000000000000c01'), outcome('2026-12-01T10:00:00.000Z', '0000000000000c02')]);
    await service.getContainerClient(container).getBlobClient('capture/2026-11-30.jsonl').createSnapshot();
    const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'data-purge.ts')], {
      cwd: ROOT,
      env: { ...process.env, CAPTURE: 'off', CAPTURE_STORE: 'azure-blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, CAPTURE_CONTAINER: container },
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(stderr).toBe('');
    expect(stdout).toBe(`deleted 2 day blobs from azure-blob:devstoreaccount1/${container}\n`);
    expect(status).toBe(0);
    const left: string[] = [];
    for await (const blob of service.getContainerClient(container).listBlobsFlat({ includeSnapshots: true })) left.push(blob.name);
    expect(left).toEqual([]);
  }, 30_000);

  it('purges nothing, without error, when the container does not exist', async () => {
    const { store } = newStore();
    expect(await store.purgeAll()).toBe(0);
    expect(await store.purgeExpired()).toBe(0);
  });

  it('pings true while Azurite answers, even before the container exists', async () => {
    const { store } = newStore();
    expect(await store.ping()).toBe(true);
  });

  it('pings false, promptly, when the service is gone; appends reject', async () => {
    const other = await startAzurite();
    const store = new AzureBlobCaptureStore({ connectionString: other.connectionString, container: 'gone', retentionDays: 30, maxTries: 1, pingTimeoutMs: 2_000 });
    expect(await store.ping()).toBe(true);
    await other.stop();
    const started = Date.now();
    expect(await store.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(store.append([outcome('2026-12-02T10:00:00.000Z', '0000000000000b01')])).rejects.toThrow();
  });

  it('pings false when the account key is wrong', async () => {
    const wrongKey = azurite.connectionString.replace(DEV_KEY, Buffer.from('not the key of this account, 64 bytes long....................').toString('base64'));
    const store = new AzureBlobCaptureStore({ connectionString: wrongKey, container: 'support-kb-bot', retentionDays: 30, maxTries: 1 });
    expect(await store.ping()).toBe(false);
  });
});
