import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMemory, ChildReady } from './server-child';

/**
 * Starts bench/server-child.ts (the real server) in a child process and talks to it over
 * IPC: its port, its memory after a full collection, and a clean stop. Used by the
 * benchmark and by the bounded load test.
 */
export interface ServerProcess {
  url: string;
  port: number;
  /** RSS and heap of the server after a forced garbage collection, in MB. */
  memory(): Promise<{ rssMb: number; heapUsedMb: number }>;
  /** Lines the server wrote to standard output and error (its JSON log at the chosen level). */
  output(): string[];
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./server-child.ts', import.meta.url));

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: ['--import', 'tsx', '--expose-gc', '--no-deprecation'],
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    for (const l of chunk.toString('utf8').split('\n')) if (l.trim().length > 0 && lines.length < 10_000) lines.push(l);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const ready = await new Promise<ChildReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s:\n${lines.join('\n')}`)), 60_000);
    child.on('message', (m: ChildReady | ChildMemory) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before it was ready:\n${lines.join('\n')}`));
    });
  });
  const url = `http://127.0.0.1:${ready.port}`;
  return {
    url,
    port: ready.port,
    output: () => [...lines],
    memory: () => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not report its memory within 10 s')), 10_000);
      const onMessage = (m: ChildReady | ChildMemory): void => {
        if (m.type !== 'memory') return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve({ rssMb: m.rssMb, heapUsedMb: m.heapUsedMb });
      };
      child.on('message', onMessage);
      child.send({ type: 'rss' });
    }),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.send({ type: 'stop' });
    }),
  };
}
