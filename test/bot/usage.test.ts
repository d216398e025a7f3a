import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureRecord, CaptureStore, FeedbackRecord, OutcomeRecord, SampleRecord } from '../../capture/records';
import { startServer, type RunningServer } from '../../bot/server';
import { realKb } from '../helpers/kb';
import { capturingLogger, cardOf, cardText, elementsOfType, expectRepliesActivity } from './helpers';

/**
 * What the server keeps about its use (CAPTURE), what it tells Prometheus (/metrics) and the
 * "Error code" message extension, through the real HTTP endpoints as Teams and the page call
 * them.
 */

// Three pastes of one shape that the KB has no entry for, each with its own host, address
// and user: what an operator would want grouped in the review, with none of them kept.
const PEOPLE = [
  { host: 'sccm01.contoso.com', ip: '10.1.2.3', user: 'CONTOSO\\jdoe' },
  { host: 'mp02.fabrikam.local', ip: '192.168.40.7', user: 'FABRIKAM\\asmith' },
  { host: 'cm-site.northwind.corp', ip: '172.16.9.44', user: 'NORTHWIND\\kwong' },
];
function unmatched(p: { host: string; ip: string; user: string }): string {
  return [
    `<![LOG[Policy agent could not reach the software catalog on ${p.host} (${p.ip}) for user ${p.user}: unexpected reply token]LOG]!><time="10:11:12.345+000" date="12-01-2026" component="PolicyAgent" context="" type="3" thread="4412" file="policyagent.cpp:812">`,
    `<![LOG[Retrying policy evaluation for ${p.user} in 60 seconds]LOG]!><time="10:11:12.350+000" date="12-01-2026" component="PolicyAgent" context="" type="1" thread="4412" file="policyagent.cpp:830">`,
  ].join('\n');
}
// An IIS 404.7 line: a high-confidence answer, with a host and a user in it.
const ANSWERED = '2024-05-02 10:11:12 10.20.30.40 GET /SMS_DP_SMSPKGD$/ABC00123/db/data.ldf - 80 CONTOSO\\svc-naa 10.20.30.99 Microsoft+BITS/7.8 404 7 0 15';

const dataDir = mkdtempSync(join(tmpdir(), 'kb-usage-'));
const log = capturingLogger('info');
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ loaded: realKb(), port: 0, env: { CAPTURE: 'redacted', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '0' }, logger: log.logger });
});

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

async function teams(extra: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const res = await postJson('/api/messages', expectRepliesActivity(extra));
  expect(res.status).toBe(200);
  return ((await res.json()) as { activities: Record<string, unknown>[] }).activities;
}

/** The data of a card's submit buttons, by title. */
function buttons(card: unknown): Map<string, Record<string, unknown>> {
  return new Map(elementsOfType(card, 'Action.Submit').map((a) => [String(a['title']), a['data'] as Record<string, unknown>]));
}

/** Every record under DATA_DIR, as the files store wrote them. */
function stored(): { records: CaptureRecord[]; raw: string } {
  const dir = join(dataDir, 'capture');
  const raw = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
  return { raw, records: raw.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as CaptureRecord) };
}

describe('CAPTURE=redacted', () => {
  let ids: string[] = [];
  let answeredId = '';

  beforeAll(async () => {
    // Two from Teams, one from the page: all three unmatched.
    for (const p of PEOPLE.slice(0, 2)) {
      const [reply] = await teams({ text: unmatched(p) });
      expect(cardText(cardOf(reply))).toMatch(/No KB entry matches|no entry/i);
    }
    const page = await postJson('/api/diagnose', { text: unmatched(PEOPLE[2]!) });
    expect(page.status).toBe(200);
    // One answered paste, then "Not helpful" on it.
    const [answered] = await teams({ text: ANSWERED });
    const notHelpful = buttons(cardOf(answered)).get('Not helpful');
    expect(notHelpful).toMatchObject({ action: 'feedback', id: 'iis-request-filtering-denied-extension', verdict: 'not-helpful' });
    answeredId = String(notHelpful?.['outcome']);
    expect(answeredId).toMatch(/^[0-9a-f]{16}$/);
    const [thanks] = await teams({ text: '', value: notHelpful });
    expect(cardText(cardOf(thanks))).toContain('did not help');
    await server.recorder.flush();
    ids = stored().records.filter((r): r is OutcomeRecord => r.type === 'outcome').map((r) => r.id);
  });

  it('keeps one outcome record per diagnosis, with structural facts and no text', () => {
    const outcomes = stored().records.filter((r): r is OutcomeRecord => r.type === 'outcome');
    expect(outcomes).toHaveLength(4);
    expect(outcomes.map((o) => o.channel).sort()).toEqual(['page', 'teams', 'teams', 'teams']);
    expect(outcomes.filter((o) => o.outcome === 'none')).toHaveLength(3);
    const answered = outcomes.find((o) => o.id === answeredId);
    expect(answered).toMatchObject({ outcome: 'high', entries: ['iis-request-filtering-denied-extension'], statuses: ['404.7'], extensions: ['.ldf'], formats: expect.arrayContaining(['iis']), lines: 1, partial: false, cut: false });
    expect(new Set(ids).size).toBe(4);
  });

  it('joins the feedback to its outcome and keeps the answered paste only because it was "Not helpful"', () => {
    const records = stored().records;
    const feedback = records.filter((r): r is FeedbackRecord => r.type === 'feedback');
    expect(feedback).toEqual([expect.objectContaining({ id: answeredId, verdict: 'not-helpful', entry: 'iis-request-filtering-denied-extension', channel: 'teams' })]);
    const samples = records.filter((r): r is SampleRecord => r.type === 'sample');
    expect(samples.map((s) => s.reason).sort()).toEqual(['none', 'none', 'none', 'not-helpful']);
    const forAnswered = samples.find((s) => s.id === answeredId);
    expect(forAnswered?.text).toContain('404 7');
    expect(forAnswered?.text).toContain('/SMS_DP_SMSPKGD$/ABC00123/db/data.ldf');
    for (const s of samples) expect(s.summary).toMatch(/\d+ (host|address|user)/);
  });

  it('stores nothing of the hosts, addresses and users of the pastes', () => {
    const { raw } = stored();
    for (const p of PEOPLE) {
      for (const secret of [p.host, p.ip, p.user, p.user.split('\\')[1]!]) expect(raw).not.toContain(secret);
    }
    for (const secret of ['10.20.30.40', '10.20.30.99', 'svc-naa']) expect(raw).not.toContain(secret);
    // What diagnoses is still there.
    expect(raw).toContain('PolicyAgent');
    expect(raw).toContain('unexpected reply token');
  });

  it('says in /healthz where records go and that the store answers', async () => {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { capture: { mode: string; store: string; reachable: boolean } };
    expect(health.capture).toMatchObject({ mode: 'redacted', reachable: true });
    expect(health.capture.store).toContain(dataDir);
  });

  it('counts requests, diagnoses by outcome and latency in /metrics (Prometheus text)', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    expect(body).toMatch(/supportkb_diagnoses_total\{channel="teams",outcome="none"\} 2/);
    expect(body).toMatch(/supportkb_diagnoses_total\{channel="page",outcome="none"\} 1/);
    expect(body).toMatch(/supportkb_diagnoses_total\{channel="teams",outcome="high"\} 1/);
    expect(body).toMatch(/supportkb_http_requests_total\{route="\/api\/messages",method="POST",status="200"\} \d+/);
    expect(body).toMatch(/supportkb_diagnosis_seconds_count\{channel="teams"\} 3/);
    expect(body).toMatch(/supportkb_capture_dropped_total 0/);
    // Nothing of a paste becomes a label.
    expect(body).not.toContain('PolicyAgent');
  });
});

describe('the "Error code or words" message extension', () => {
  type Attachment = { contentType: string; content: unknown; preview: { contentType: string; content: { title: string; text: string } } };
  async function query(value: string, queryOptions?: { skip: number; count: number }, name = 'query'): Promise<Record<string, unknown>> {
    // Teams sends an invoke without expectReplies: the answer is the HTTP response's body.
    const res = await postJson('/api/messages', expectRepliesActivity({ type: 'invoke', name: 'composeExtension/query', deliveryMode: undefined, value: { commandId: 'lookupCode', parameters: [{ name, value }], ...(queryOptions ? { queryOptions } : {}) } }));
    expect(res.status).toBe(200);
    return ((await res.json()) as { composeExtension: Record<string, unknown> }).composeExtension;
  }
  const attachments = (ext: Record<string, unknown>): Attachment[] => ext['attachments'] as Attachment[];

  it('offers the decoded code with the KB\'s likely causes as a card to insert', async () => {
    const ext = await query('0x80190194');
    expect(ext['type']).toBe('result');
    const [first] = attachments(ext);
    expect(first?.preview.content.title).toContain('0x80190194');
    expect(first?.preview.content.title).toContain('BG_E_HTTP_ERROR_404');
    expect(first?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const text = cardText(first?.content);
    expect(text).toContain('Likely causes');
    expect(text).toMatch(/kb iis-request-filtering-|kb content-library-or-package-share-missing-files/);
    expect(Buffer.byteLength(JSON.stringify(first))).toBeLessThan(28_000);
  });

  it('reads the decimal and bare-hex spellings too', async () => {
    expect(attachments(await query('-2145844844'))[0]?.preview.content.title).toContain('0x80190194');
    expect(attachments(await query('80072ee2'))[0]?.preview.content.title).toMatch(/0x80072ee2 .*ERROR_INTERNET_TIMEOUT|0x80072ee2 .*TIMEOUT/i);
  });

  it('finds KB entries by words, each card under 28 KB, and pages with skip and count', async () => {
    const ext = await query('hash mismatch', { skip: 0, count: 3 });
    const first = attachments(ext);
    expect(first).toHaveLength(3);
    expect(first.map((a) => a.preview.content.text).join(' ')).toMatch(/hash-mismatch/);
    for (const a of first) {
      expect(Buffer.byteLength(JSON.stringify(a))).toBeLessThan(28_000);
      expect(cardText(a.content)).toContain('KB entry');
    }
    const next = attachments(await query('hash mismatch', { skip: 3, count: 3 }));
    expect(next.length).toBeGreaterThan(0);
    expect(next.map((a) => a.preview.content.text)).not.toContain(first[0]?.preview.content.text);
  });

  it('shows starting points for an empty query (initialRun), and says what to type when nothing is found', async () => {
    const start = attachments(await query('', undefined, 'initialRun'));
    expect(start.length).toBeGreaterThanOrEqual(5);
    expect(start.map((a) => a.preview.content.title).join(' ')).toContain('0x80091007');
    expect(await query('zzqx qqvv')).toMatchObject({ type: 'message', text: expect.stringContaining('Type an error code') });
  });
});

describe('help', () => {
  it('names the port this server listens on for the local page', async () => {
    const [reply] = await teams({ text: 'help' });
    expect(cardText(cardOf(reply))).toContain(`http://localhost:${server.port}/`);
  });
});

describe('a capture store that is down', () => {
  let down: RunningServer;
  const failing: CaptureStore = {
    describe: 'files:/unreachable',
    append: () => Promise.reject(new Error('EACCES: permission denied')),
    read: async function* () { /* nothing */ },
    purgeExpired: () => Promise.resolve(0),
    purgeAll: () => Promise.resolve(0),
    ping: () => Promise.resolve(false),
    close: () => Promise.resolve(),
  };

  beforeAll(async () => {
    down = await startServer({ loaded: realKb(), port: 0, env: { CAPTURE: 'outcomes', RATE_LIMIT_PER_MINUTE: '0', METRICS: 'off' }, logger: capturingLogger('error').logger, captureStore: failing });
  });
  afterAll(async () => {
    await down?.close();
  });

  it('still answers every paste, and says in /healthz that the store is unreachable', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${down.url}/api/diagnose`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: ANSWERED }) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { diagnosis: { matches: { id: string }[] } }).diagnosis.matches[0]?.id).toBe('iis-request-filtering-denied-extension');
    }
    const health = (await (await fetch(`${down.url}/healthz`)).json()) as { status: string; capture: { reachable: boolean } };
    expect(health).toMatchObject({ status: 'ok', capture: { reachable: false } });
  });

  it('serves no /metrics when METRICS=off', async () => {
    expect((await fetch(`${down.url}/metrics`)).status).toBe(404);
  });
});
