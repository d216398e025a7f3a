import autocannon from 'autocannon';
import { activity, seedPaste } from './load-mix';
import type { ServerProcess } from './server-process';

/**
 * Replies per second and latency of the two endpoints that diagnose, with a 20 KB paste
 * of the source documents' log excerpts, at 1, 10 and 50 connections (autocannon, loopback,
 * each run bounded in time). The per-conversation limit is off in the server under test.
 */
export interface EndpointRun {
  endpoint: string;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export async function benchEndpoints(server: ServerProcess, seconds: number, connections: readonly number[]): Promise<EndpointRun[]> {
  const paste = seedPaste(20_000);
  const targets = [
    { endpoint: 'POST /api/messages (expectReplies)', path: '/api/messages', body: JSON.stringify(activity('bench', { text: paste })) },
    { endpoint: 'POST /api/diagnose', path: '/api/diagnose', body: JSON.stringify({ text: paste }) },
  ];
  const out: EndpointRun[] = [];
  for (const t of targets) {
    for (const c of connections) {
      const r = await autocannon({
        url: server.url + t.path, method: 'POST', connections: c, duration: seconds, timeout: 30,
        headers: { 'content-type': 'application/json' }, body: t.body,
      });
      out.push({
        endpoint: t.endpoint, connections: c, requestsPerSecond: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99,
        requests: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts,
      });
    }
  }
  return out;
}
