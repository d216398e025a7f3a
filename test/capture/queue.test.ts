import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaptureQueue, errorText, startRetention, type CaptureLogger } from '../../capture/queue';
import type { CaptureRecord, CaptureStore, FeedbackRecord, SampleRecord } from '../../capture/records';

/** A store whose behaviour the test switches: accepting, refusing (as a storage outage does) or never answering. */
class FakeStore implements CaptureStore {
  readonly describe = 'azure-blob:contosokb/support-kb-bot';
  mode: 'ok' | 'reject' | 'hang' | 'throw' = 'ok';
  readonly written: CaptureRecord[] = [];
  readonly batches: number[] = [];
  appendCalls = 0;
  purgeCalls = 0;
  purgeResult: number | Error = 0;
  closed = false;

  append(records: readonly CaptureRecord[]): Promise<void> {
    this.appendCalls++;
    if (this.mode === 'throw') throw new TypeError('store bug');
    if (this.mode === 'hang') return new Promise<void>(() => undefined);
    if (this.mode === 'reject') {
      const err = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:443 https://contosokb.blob.core.windows.net/support-kb-bot?sv=2024-08-04&sig=SECRETSIG'), { code: 'ECONNREFUSED' });
      return Promise.reject(err);
    }
    this.written.push(...records);
    this.batches.push(records.length);
    return Promise.resolve();
  }
  async *read(): AsyncIterable<CaptureRecord> {
    yield* this.written;
  }
  async purgeExpired(): Promise<number> {
    this.purgeCalls++;
    if (this.purgeResult instanceof Error) throw this.purgeResult;
    return this.purgeResult;
  }
  async purgeAll(): Promise<number> {
    return 0;
  }
  async ping(): Promise<boolean> {
    return this.mode === 'ok';
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

class MemoryLogger implements CaptureLogger {
  readonly lines: { level: 'info' | 'warn'; obj: object; msg: string }[] = [];
  info(obj: object, msg: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  get text(): string {
    return JSON.stringify(this.lines);
  }
}

const PASTE = 'ERROR FILE: http://DP01.corp.contoso.com:80/SMS_DP_SMSPKG$/PS100031/Tools/OSDResults/OSDResults.exe.config';

function feedback(i: number): FeedbackRecord {
  return { type: 'feedback', id: i.toString(16).padStart(16, '0'), at: '2026-12-02T10:00:00.000Z', channel: 'teams', verdict: 'not-helpful', entry: 'iis-request-filtering-denied-extension' };
}

function sample(i: number): SampleRecord {
  return { type: 'sample', id: i.toString(16).padStart(16, '0'), at: '2026-12-02T10:00:00.000Z', reason: 'none', text: PASTE, replaced: {}, summary: '' };
}

const queues: CaptureQueue[] = [];
function newQueue(store: CaptureStore, options: ConstructorParameters<typeof CaptureQueue>[1] = {}): CaptureQueue {
  const queue = new CaptureQueue(store, { retentionIntervalMs: 0, flushIntervalMs: 10, ...options });
  queues.push(queue);
  return queue;
}

afterEach(async () => {
  for (const q of queues.splice(0)) await q.close();
});

describe('CaptureQueue', () => {
  it('returns from push at once and writes the records in one background batch', async () => {
    const store = new FakeStore();
    const queue = newQueue(store, { flushIntervalMs: 30 });
    for (let i = 0; i < 3; i++) queue.push(feedback(i));
    expect(store.appendCalls).toBe(0);
    expect(queue.stats()).toMatchObject({ queued: 3, written: 0 });
    await vi.waitFor(() => expect(store.written).toHaveLength(3), { timeout: 2_000 });
    expect(store.batches).toEqual([3]);
    expect(queue.stats()).toEqual({ queued: 0, written: 3, dropped: 0, failures: 0, purged: 0 });
  });

  it('writes a full batch without waiting for the interval, and never more than a batch per append', async () => {
    const store = new FakeStore();
    const queue = newQueue(store, { flushIntervalMs: 60_000, batchSize: 4 });
    for (let i = 0; i < 10; i++) queue.push(feedback(i));
    await vi.waitFor(() => expect(store.written.length).toBeGreaterThanOrEqual(8), { timeout: 2_000 });
    await queue.flush();
    expect(store.batches).toEqual([4, 4, 2]);
    expect(store.written.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => feedback(i).id));
  });

  it('keeps replies fast while the store refuses, drops beyond maxRecords, logs once, and recovers', async () => {
    const store = new FakeStore();
    store.mode = 'reject';
    const logger = new MemoryLogger();
    const queue = newQueue(store, { maxRecords: 1000, logger, flushIntervalMs: 5, maxBackoffMs: 20 });

    const started = performance.now();
    for (let i = 0; i < 1500; i++) queue.push(sample(i));
    expect(performance.now() - started).toBeLessThan(250);
    expect(queue.stats()).toMatchObject({ queued: 1000, dropped: 500 });

    // Several tries fail while the outage lasts; the log says so once.
    await vi.waitFor(() => expect(store.appendCalls).toBeGreaterThanOrEqual(3), { timeout: 3_000 });
    for (let i = 1500; i < 1600; i++) queue.push(sample(i));
    expect(queue.stats()).toMatchObject({ queued: 1000, written: 0, dropped: 600 });
    expect(queue.stats().failures).toBeGreaterThanOrEqual(3);
    // One line for the outage (with its error), one for the first drop; the rest only counts.
    const warnings = logger.lines.filter((l) => l.level === 'warn');
    expect(warnings.map((w) => (w.obj as { event: string }).event).sort()).toEqual(['capture-queue-full', 'capture-store-failed']);
    for (const w of warnings) expect(w.msg).toContain('azure-blob:contosokb/support-kb-bot');
    expect(warnings.find((w) => (w.obj as { event: string }).event === 'capture-store-failed')?.obj).toMatchObject({
      error: 'Error ECONNREFUSED: connect ECONNREFUSED 10.1.2.3:443 https://contosokb.blob.core.windows.net/support-kb-bot?…',
    });
    // Never a record's contents, nor the SAS signature an error message may carry.
    expect(logger.text).not.toContain('SMS_DP_SMSPKG');
    expect(logger.text).not.toContain('SECRETSIG');

    store.mode = 'ok';
    await vi.waitFor(() => expect(store.written).toHaveLength(1000), { timeout: 3_000 });
    expect(store.written[0]?.id).toBe(sample(0).id); // the oldest records were kept, in order
    expect(queue.stats()).toMatchObject({ queued: 0, written: 1000, dropped: 600 });
    const recovered = logger.lines.filter((l) => l.level === 'info');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]?.obj).toMatchObject({ event: 'capture-store-recovered', droppedMeanwhile: 600 });

    // A new outage is logged again.
    store.mode = 'reject';
    queue.push(feedback(1));
    await queue.flush();
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(3);
  });

  it('gives up on a write that hangs, counts its records as dropped, and goes on when the store answers again', async () => {
    const store = new FakeStore();
    store.mode = 'hang';
    const logger = new MemoryLogger();
    const queue = newQueue(store, { maxRecords: 100, logger, writeTimeoutMs: 50, batchSize: 40, flushIntervalMs: 60_000 });
    for (let i = 0; i < 40; i++) queue.push(feedback(i));
    const started = performance.now();
    const flushed = queue.flush();
    // While the write hangs, pushing stays instant and the queue stays bounded.
    for (let i = 40; i < 1040; i++) queue.push(feedback(i));
    expect(performance.now() - started).toBeLessThan(250);
    expect(queue.stats()).toMatchObject({ queued: 100, dropped: 940 });
    await flushed;
    expect(queue.stats()).toMatchObject({ queued: 60, written: 0, dropped: 980, failures: 1 });
    expect(logger.lines[0]?.obj).toMatchObject({ event: 'capture-queue-full', store: store.describe });

    store.mode = 'ok';
    await queue.flush();
    expect(queue.stats()).toMatchObject({ queued: 0, written: 60, dropped: 980 });
    expect(store.written.map((r) => r.id)[0]).toBe(feedback(40).id);
  });

  it('does not let a store that throws synchronously reach the caller', async () => {
    const store = new FakeStore();
    store.mode = 'throw';
    const logger = new MemoryLogger();
    const queue = newQueue(store, { logger });
    expect(() => queue.push(feedback(1))).not.toThrow();
    await queue.flush();
    expect(queue.stats()).toMatchObject({ queued: 1, failures: 1 });
    expect(logger.lines[0]?.obj).toMatchObject({ event: 'capture-store-failed', error: 'TypeError: store bug' });
  });

  it('close writes what is left, closes the store, and drops (and counts) what comes after', async () => {
    const store = new FakeStore();
    const queue = newQueue(store, { flushIntervalMs: 60_000 });
    queue.push(feedback(1));
    queue.push(feedback(2));
    await queue.close();
    expect(store.written).toHaveLength(2);
    expect(store.closed).toBe(true);
    queue.push(feedback(3));
    expect(queue.stats()).toMatchObject({ queued: 0, written: 2, dropped: 1 });
  });
});

describe('retention', () => {
  it('purges once at start and then on every interval, counting what it deleted', async () => {
    const store = new FakeStore();
    store.purgeResult = 2;
    const logger = new MemoryLogger();
    const queue = newQueue(store, { logger, retentionIntervalMs: 40 });
    await vi.waitFor(() => expect(store.purgeCalls).toBeGreaterThanOrEqual(3), { timeout: 2_000 });
    expect(queue.stats().purged).toBeGreaterThanOrEqual(6);
    expect(logger.lines[0]).toMatchObject({ level: 'info', obj: { event: 'capture-retention', store: store.describe, deleted: 2 } });
    await queue.close();
    const calls = store.purgeCalls;
    await new Promise((r) => setTimeout(r, 100));
    expect(store.purgeCalls).toBe(calls);
  });

  it('logs a failed purge with what to do, and tries again next time', async () => {
    const store = new FakeStore();
    store.purgeResult = new Error('EACCES: permission denied, unlink /srv/app/data/capture/2026-10-01.jsonl');
    const logger = new MemoryLogger();
    const retention = startRetention(store, { logger, intervalMs: 30 });
    try {
      await vi.waitFor(() => expect(store.purgeCalls).toBeGreaterThanOrEqual(2), { timeout: 2_000 });
      expect(logger.lines[0]).toMatchObject({ level: 'warn', obj: { event: 'capture-retention-failed', error: expect.stringContaining('EACCES') } });
      expect(logger.lines[0]?.msg).toContain('npm run data:purge -- --expired');
      expect(retention.purged()).toBe(0);
    } finally {
      retention.stop();
    }
  });

  it('does not run unless asked to when the interval is 0', async () => {
    const store = new FakeStore();
    newQueue(store, { retentionIntervalMs: 0 });
    await new Promise((r) => setTimeout(r, 30));
    expect(store.purgeCalls).toBe(0);
  });
});

describe('errorText', () => {
  it('keeps the name, code and message but not a URL query (a SAS travels there)', () => {
    const err = Object.assign(new Error('Server failed to authenticate the request. https://contosokb.blob.core.windows.net/support-kb-bot/capture/2026-12-02.jsonl?comp=appendblock&sig=abc%2Bdef'), { code: 'AuthenticationFailed', name: 'RestError' });
    expect(errorText(err)).toBe('RestError AuthenticationFailed: Server failed to authenticate the request. https://contosokb.blob.core.windows.net/support-kb-bot/capture/2026-12-02.jsonl?…');
  });
});
