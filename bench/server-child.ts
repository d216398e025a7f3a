/**
 * The real server in a child process, for load measurements: the load generator then
 * runs in another process (another core), and the server's memory is its own.
 *
 * Started with `fork(…, { execArgv: ['--import', 'tsx', '--expose-gc'] })` and an IPC
 * channel. It answers `{ type: 'rss' }` with its memory after a full collection, and
 * stops on `{ type: 'stop' }` or when the parent goes away. Settings come from the
 * environment the parent passes (PORT is ignored: a free port is picked and reported).
 */
import { loadKbFromDir } from '../kb/load-kb';
import { startServer } from '../bot/server';
import { createLogger } from '../bot/logger';
import { readConfig } from '../bot/config';

export interface ChildReady {
  type: 'ready';
  port: number;
  entries: number;
}

export interface ChildMemory {
  type: 'memory';
  rssMb: number;
  heapUsedMb: number;
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const env: Record<string, string | undefined> = { ...process.env, PORT: '0' };
  const config = readConfig(env);
  const loaded = loadKbFromDir(config.kbDir || undefined);
  const logger = createLogger({ ...config, logLevel: env['LOG_LEVEL'] ?? 'silent' });
  const server = await startServer({ port: 0, loaded, env, logger });
  const send = (m: ChildReady | ChildMemory): void => {
    if (process.send) process.send(m);
  };
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'rss') {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) gc();
      const mem = process.memoryUsage();
      send({ type: 'memory', rssMb: mem.rss / MB, heapUsedMb: mem.heapUsed / MB });
    } else if (m.type === 'stop') {
      void server.close().then(() => process.exit(0));
      setTimeout(() => process.exit(0), 3000).unref();
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: server.port, entries: loaded.stats.entries });
}

main().catch((e: unknown) => {
  process.stderr.write(`server child: ${(e as Error).message}\n`);
  process.exit(1);
});
