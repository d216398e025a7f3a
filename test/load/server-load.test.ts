import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { percentile, runMixedLoad, type MixResult } from '../../bench/load-mix';
import { startServerProcess, type ServerProcess } from '../../bench/server-process';

/**
 * The bounded load test: the real server in a child process, about ten seconds of mixed
 * traffic at 50 connections on loopback (pastes, codes, help, feedback, web diagnoses,
 * malformed and oversized bodies, requests cut off midway, one slow client). It stops by
 * itself. The 60-second version runs in `npm run bench`.
 */
const MAX_BODY_BYTES = 256 * 1024;
const ENTRY_ID = readdirSync(fileURLToPath(new URL('../../kb/entries/', import.meta.url)))
  .filter((n) => n.endsWith('.md')).sort()[0]?.replace(/\.md$/, '') ?? 'missing-entry';

let server: ServerProcess;
// Capture is on as operators may run it (outcomes and redacted samples), in a folder of its own.
const dataDir = mkdtempSync(join(tmpdir(), 'kb-load-data-'));
let before: { rssMb: number; heapUsedMb: number };
let after: { rssMb: number; heapUsedMb: number };
let result: MixResult;

describe('the server under a bounded mixed load', () => {
  beforeAll(async () => {
    // The per-conversation limit is off so that every valid request reaches the diagnosis.
    server = await startServerProcess({ MAX_BODY_BYTES: String(MAX_BODY_BYTES), RATE_LIMIT_PER_MINUTE: '0', TIME_BUDGET_MS: '5000', CAPTURE: 'redacted', DATA_DIR: dataDir });
    // One short round first, so that "before" is measured on a warmed-up server.
    await runMixedLoad({ url: server.url, durationMs: 1000, connections: 10, entryId: ENTRY_ID, maxBodyBytes: MAX_BODY_BYTES, slowByteIntervalMs: 5 });
    before = await server.memory();
    result = await runMixedLoad({ url: server.url, durationMs: 10_000, connections: 50, entryId: ENTRY_ID, maxBodyBytes: MAX_BODY_BYTES, slowByteIntervalMs: 30 });
    after = await server.memory();
    const table = result.kinds.map((k) => `  ${k.kind.padEnd(34)} ${String(k.sent).padStart(6)}  ${JSON.stringify(k.statuses)}${k.valid ? `  p50 ${percentile(k.latenciesMs, 50).toFixed(0)} ms, p99 ${percentile(k.latenciesMs, 99).toFixed(0)} ms` : ''}`);
    process.stdout.write(`load: ${result.requests} requests in ${(result.durationMs / 1000).toFixed(1)} s at 50 connections; server RSS ${before.rssMb.toFixed(0)} MB before, ${after.rssMb.toFixed(0)} MB after; slow client: ${result.slowClient}; stale keep-alive sockets retried: ${result.staleSocketRetries}\n${table.join('\n')}\n`);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('no valid request gets a 5xx, and every malformed one gets a 4xx without internals', () => {
    expect(result.violations).toEqual([]);
  });

  test('every kind of request was sent and the valid ones were answered', () => {
    for (const k of result.kinds) {
      expect(k.sent, k.kind).toBeGreaterThan(0);
      if (k.valid) expect(k.statuses['200'] ?? 0, k.kind).toBeGreaterThan(0);
    }
  });

  test('oversized bodies are refused with 413', () => {
    const declared = result.kinds.find((k) => k.kind === 'oversized (declared length)');
    expect(declared?.statuses['413']).toBe(declared?.sent);
  });

  test('the slow client does not stall the others and is answered or cut off', () => {
    expect(result.slowClient).toMatch(/answered [24]\d\d|closed by the server/);
  });

  // Live heap after a full GC is the leak signal; RSS is V8's high-water mark, which grows
  // with throughput (a faster server handles more requests in the same 10 s) and is not returned.
  test('memory stays bounded: no more than 30 MB of live heap and 250 MB of RSS more after the load than before', () => {
    process.stdout.write(`heap after GC: ${before.heapUsedMb.toFixed(0)} MB before, ${after.heapUsedMb.toFixed(0)} MB after\n`);
    expect(after.heapUsedMb - before.heapUsedMb).toBeLessThan(30);
    expect(after.rssMb - before.rssMb).toBeLessThan(250);
    expect(after.heapUsedMb).toBeLessThan(before.heapUsedMb * 3 + 50);
  });

  test('the server logged no failure of its own', () => {
    const failures = server.output().filter((l) => /"level":(50|60)/.test(l));
    expect(failures).toEqual([]);
  });
});
