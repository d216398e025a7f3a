import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A bounded, mixed load on the real server over loopback: pastes, error codes, help,
 * feedback buttons and web-page diagnoses (valid), next to malformed JSON, bodies that
 * are not activities, oversized bodies (declared and chunked), requests cut off midway,
 * and one slow client that trickles its body. Every response is checked: valid requests
 * must never get a 5xx; malformed ones must get a 4xx whose body shows no internals.
 * Used by `npm run bench` (60 s) and by test/load (about 10 s).
 */
export interface MixOptions {
  url: string;
  durationMs: number;
  connections: number;
  /** A KB entry id, for feedback buttons. */
  entryId: string;
  /** The server's MAX_BODY_BYTES. */
  maxBodyBytes: number;
  /** Milliseconds between the bytes the slow client sends. */
  slowByteIntervalMs: number;
}

export interface KindStats {
  kind: string;
  valid: boolean;
  sent: number;
  statuses: Record<string, number>;
  latenciesMs: number[];
}

export interface MixResult {
  durationMs: number;
  requests: number;
  kinds: KindStats[];
  /** What the slow client got: a status, or how its connection ended. */
  slowClient: string;
  /** Every rule broken, with the request kind and what came back (empty when all held). */
  violations: string[];
  /** Requests sent again because their keep-alive socket had just been closed by the server (see send()). */
  staleSocketRetries: number;
}

const SEEDS = fileURLToPath(new URL('../test/fixtures/seeds/', import.meta.url));

/** About `bytes` bytes of the source documents' log excerpts, cut at a line end. */
export function seedPaste(bytes = 20_000): string {
  const seeds = readdirSync(SEEDS).filter((n) => /\.(log|txt)$/.test(n)).sort().map((n) => readFileSync(join(SEEDS, n), 'utf8'));
  if (seeds.length === 0) throw new Error(`no seed logs in ${SEEDS}`);
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += (seeds[i % seeds.length] as string) + '\n';
  const cut = out.lastIndexOf('\n', bytes);
  return out.slice(0, cut > 0 ? cut : bytes);
}

export function activity(conversation: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'message',
    id: `m-${conversation}`,
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1/unused',
    deliveryMode: 'expectReplies',
    from: { id: 'user-1', name: 'Load Test' },
    recipient: { id: 'bot-1', name: 'support-kb-bot' },
    conversation: { id: conversation },
    ...fields,
  };
}

/** Signs that an error body leaks internals: stack frames, error class names, source paths. */
const INTERNALS = /\n\s+at |\bat [\w.<>]+ \(|Error:|"stack"|node_modules|\.ts:\d|\.js:\d|\/work\/|[A-Z]:\\\\/;

interface Outcome {
  status: number;
  body: string;
}

interface Kind {
  name: string;
  valid: boolean;
  run(n: number): Promise<Outcome>;
}

/** Requests that met a keep-alive socket the server had just closed, and were sent again. */
let staleRetries = 0;

/**
 * One POST. A request on a reused keep-alive socket that the server closed at the same
 * moment fails with ECONNRESET before the server saw it: Node's documentation describes
 * this race and the remedy, sending the request again. It is sent again on a new
 * connection, so that it cannot meet a second socket of the pool closed the same way; any
 * other failure is reported.
 */
function send(agent: Agent | false, url: string, path: string, body: string | Buffer, headers: Record<string, string> = {}, retry = true): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    const req = request({
      hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': String(data.length), ...headers },
    }, (res) => readResponse(res).then(resolve, reject));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (retry && req.reusedSocket && e.code === 'ECONNRESET') {
        staleRetries++;
        send(false, url, path, body, headers, false).then(resolve, reject);
      } else reject(e);
    });
    req.end(data);
  });
}

function readResponse(res: IncomingMessage): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    res.on('error', reject);
  });
}

/** A body larger than the limit, sent in chunks without a length: refused once it passes the cap. */
function sendChunkedOversize(url: string, total: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const u = new URL('/api/messages', url);
    let answered = false;
    const req = request({ hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      answered = true;
      readResponse(res).then(resolve, () => resolve({ status: res.statusCode ?? 0, body: '' }));
    });
    // The server may close the connection while the rest is still being written.
    req.on('error', () => {
      if (!answered) resolve({ status: -1, body: 'connection closed before an answer' });
    });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const write = (): void => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    write();
  });
}

/** Headers and half a body, then the connection is dropped. */
function sendAndAbort(url: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const socket = connect(Number(u.port), u.hostname, () => {
      socket.write('POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"type":"mess');
      setTimeout(() => {
        socket.destroy();
        resolve({ status: 0, body: '' });
      }, 20);
    });
    socket.on('error', () => resolve({ status: 0, body: '' }));
  });
}

function slowClient(url: string, body: string, intervalMs: number, until: number): { done: Promise<string> } {
  const u = new URL(url);
  const done = new Promise<string>((resolve) => {
    let answer = '';
    const socket = connect(Number(u.port), u.hostname, () => {
      socket.write(`POST /api/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`);
      let i = 0;
      const timer = setInterval(() => {
        if (i >= body.length || Date.now() > until) {
          clearInterval(timer);
          if (i < body.length) {
            socket.destroy();
            resolve(`still sending after ${i} of ${body.length} bytes; closed by the client`);
          }
          return;
        }
        socket.write(body[i++] as string);
      }, intervalMs);
      socket.on('close', () => {
        clearInterval(timer);
        const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
        resolve(status ? `answered ${status} after ${i} of ${body.length} bytes` : `connection closed by the server after ${i} of ${body.length} bytes`);
      });
    });
    socket.on('data', (c: Buffer) => {
      answer += c.toString('utf8');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(`connection closed by the server (${e.code ?? 'error'})`));
  });
  return { done };
}

export async function runMixedLoad(o: MixOptions): Promise<MixResult> {
  staleRetries = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const paste = seedPaste();
  let conversation = 0;
  const conv = (): string => `load-${process.pid}-${conversation++}`;
  const kinds: Kind[] = [
    { name: 'paste 20 KB (messages)', valid: true, run: () => send(agent, o.url, '/api/messages', JSON.stringify(activity(conv(), { text: paste }))) },
    { name: 'code (messages)', valid: true, run: () => send(agent, o.url, '/api/messages', JSON.stringify(activity(conv(), { text: 'code 0x80190194' }))) },
    { name: 'help (messages)', valid: true, run: () => send(agent, o.url, '/api/messages', JSON.stringify(activity(conv(), { text: 'help' }))) },
    { name: 'feedback button (messages)', valid: true, run: () => send(agent, o.url, '/api/messages', JSON.stringify(activity(conv(), { value: { action: 'feedback', id: o.entryId, verdict: 'helpful' } }))) },
    { name: 'paste 20 KB (diagnose)', valid: true, run: () => send(agent, o.url, '/api/diagnose', JSON.stringify({ text: paste })) },
    { name: 'malformed JSON', valid: false, run: () => send(agent, o.url, '/api/messages', '{"type":"message","text":"0x8007') },
    { name: 'JSON that is not an activity', valid: false, run: () => send(agent, o.url, '/api/messages', '[1,2,3]') },
    { name: 'activity without a conversation', valid: false, run: () => send(agent, o.url, '/api/messages', JSON.stringify({ type: 'message', text: 'help', deliveryMode: 'expectReplies' })) },
    { name: 'diagnose without text', valid: false, run: () => send(agent, o.url, '/api/diagnose', JSON.stringify({ text: 42 })) },
    { name: 'oversized (declared length)', valid: false, run: () => send(false, o.url, '/api/messages', Buffer.alloc(o.maxBodyBytes + 1024, 0x20)) },
    { name: 'oversized (chunked)', valid: false, run: () => sendChunkedOversize(o.url, o.maxBodyBytes * 2) },
    { name: 'cut off midway', valid: false, run: () => sendAndAbort(o.url) },
  ];
  const stats: KindStats[] = kinds.map((k) => ({ kind: k.name, valid: k.valid, sent: 0, statuses: {}, latenciesMs: [] }));
  const violations: string[] = [];
  const started = Date.now();
  const note = (v: string): void => {
    if (violations.length < 50) violations.push(`${v} (at ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };
  const deadline = started + o.durationMs;
  const slow = slowClient(o.url, JSON.stringify(activity('slow-client', { text: 'help' })), o.slowByteIntervalMs, deadline);

  async function worker(w: number): Promise<void> {
    for (let n = w; Date.now() < deadline; n++) {
      const i = n % kinds.length;
      const kind = kinds[i] as Kind;
      const s = stats[i] as KindStats;
      s.sent++;
      const t0 = performance.now();
      let out: Outcome;
      try {
        out = await kind.run(n);
      } catch (e) {
        out = { status: -1, body: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
      }
      const key = out.status === 0 ? 'dropped by the client' : out.status < 0 ? 'no answer' : String(out.status);
      s.statuses[key] = (s.statuses[key] ?? 0) + 1;
      if (kind.valid) {
        s.latenciesMs.push(performance.now() - t0);
        if (out.status < 200 || out.status >= 500) note(`${kind.name}: ${key} ${out.body.slice(0, 160)}`);
      } else if (out.status !== 0) {
        // Oversized chunked bodies may see the connection closed before the 413 is read: that is a refusal too.
        const refusedEarly = out.status === -1 && kind.name.startsWith('oversized');
        if (!refusedEarly && (out.status < 400 || out.status >= 500)) note(`${kind.name}: expected a 4xx, got ${key} ${out.body.slice(0, 160)}`);
        if (INTERNALS.test(out.body)) note(`${kind.name}: the error body shows internals: ${out.body.slice(0, 160)}`);
      }
    }
  }

  await Promise.all(Array.from({ length: o.connections }, (_, w) => worker(w)));
  const slowClientResult = await slow.done;
  agent.destroy();
  return {
    durationMs: Date.now() - started,
    requests: stats.reduce((a, s) => a + s.sent, 0),
    kinds: stats,
    slowClient: slowClientResult,
    violations,
    staleSocketRetries: staleRetries,
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
