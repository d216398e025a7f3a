import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../bot/server';
import { fixture, realKb } from '../helpers/kb';
import { startCaptureServer, type CaptureServer } from './capture-server';
import { capturingLogger, cardOf, cardText } from './helpers';

/**
 * End to end over HTTP: the real server on an ephemeral port in local anonymous mode,
 * Bot Framework activities posted to /api/messages, replies read from the response body
 * (expectReplies) or from the capture server the activity's serviceUrl points at.
 */
let server: RunningServer;
let channel: CaptureServer;
const log = capturingLogger('info');
let seq = 0;

beforeAll(async () => {
  channel = await startCaptureServer();
  server = await startServer({
    loaded: realKb(),
    port: 0,
    env: { CAPTURE: 'off', MAX_BODY_BYTES: '262144', MAX_FILE_BYTES: '65536', RATE_LIMIT_PER_MINUTE: '0' },
    logger: log.logger,
  });
});

afterAll(async () => {
  await server?.close();
  await channel?.close();
});

function activity(extra: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    type: 'message',
    id: `activity-${seq}`,
    channelId: 'msteams',
    serviceUrl: channel.url,
    conversation: { id: `a:conversation-${seq}`, conversationType: 'personal' },
    from: { id: '29:user', name: 'Support Engineer' },
    recipient: { id: '28:bot', name: 'KB Bot' },
    timestamp: new Date().toISOString(),
    locale: 'en-US',
    ...extra,
  };
}

async function post(body: unknown, path = '/api/messages'): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Replies in the response body. */
async function expectReplies(a: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const res = await post({ ...a, deliveryMode: 'expectReplies' });
  expect(res.status).toBe(200);
  return ((await res.json()) as { activities: Record<string, unknown>[] }).activities;
}

/** Replies posted back to the channel's serviceUrl. */
async function viaChannel(a: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const res = await post(a);
  expect(res.status).toBe(200);
  const conversation = (a['conversation'] as { id: string }).id;
  const mine = channel.replies.filter((r) => r.conversationId === conversation);
  for (const r of mine) expect(r.replyToId).toBe(a['id']);
  return mine.map((r) => r.activity);
}

describe('POST /api/messages', () => {
  it('answers a pasted source-document log with the right cause and evidence, both delivery modes', async () => {
    const paste = fixture('seeds/002-smsts-iis-config-extension.log');
    for (const replies of [await expectReplies(activity({ text: paste })), await viaChannel(activity({ text: paste }))]) {
      expect(replies).toHaveLength(1);
      const shown = cardText(cardOf(replies[0]));
      expect(shown).toContain('IIS request filtering on the distribution point refuses files ending in .config');
      expect(shown).toContain('KB entry iis-request-filtering-denied-extension');
      expect(shown).toContain('line 11');
      expect(shown).toContain('SMS+TS 404 7 64 15');
      expect(JSON.stringify(replies[0]).length * 2).toBeLessThan(80_000);
    }
  });

  it('diagnoses an @mention in a channel', async () => {
    const replies = await viaChannel(activity({
      text: `<at>KB Bot</at> ${fixture('seeds/004-event-iis-ldf.txt')}`,
      conversation: { id: '19:general@thread.tacv2;messageid=1700000000000', conversationType: 'channel', isGroup: true },
      entities: [{ type: 'mention', text: '<at>KB Bot</at>', mentioned: { id: '28:bot', name: 'KB Bot' } }],
      channelData: { teamsChannelId: '19:general@thread.tacv2', teamsTeamId: '19:team@thread.tacv2' },
    }));
    expect(cardText(cardOf(replies[0]))).toContain('KB entry iis-request-filtering-denied-extension');
  });

  it('recovers the lines of a paste from the HTML attachment', async () => {
    const lines = fixture('seeds/000-cas-webdav-drive-root.log').trimEnd().split('\n').filter((l) => l.trim());
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const replies = await expectReplies(activity({
      text: lines.join(' '),
      textFormat: 'plain',
      attachments: [{ contentType: 'text/html', content: `<div><pre><code>${lines.map(esc).join('\n')}</code></pre></div>` }],
    }));
    const shown = cardText(cardOf(replies[0]));
    expect(shown).toContain(`${lines.length} lines`);
    expect(shown).toContain('KB entry webdav-drive-root-hash-mismatch');
  });

  it('downloads an attached file (UTF-16 LE with a BOM, as CMTrace writes) and diagnoses all of it', async () => {
    const text = fixture('seeds/000-cas-webdav-drive-root.log').replace(/\r?\n/g, '\r\n');
    channel.files.set('CAS.log', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const emulator = await expectReplies(activity({
      channelId: 'emulator',
      text: '',
      attachments: [{ contentType: 'application/octet-stream', name: 'CAS.log', contentUrl: `${channel.url}/files/CAS.log` }],
    }));
    const shown = cardText(cardOf(emulator[0]));
    expect(shown).toContain('Diagnosis of CAS.log');
    expect(shown).toContain('KB entry webdav-drive-root-hash-mismatch');
    const teams = await viaChannel(activity({
      text: '',
      attachments: [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'CAS.log', content: { downloadUrl: `${channel.url}/files/CAS.log`, fileType: 'log' } }],
    }));
    expect(cardText(cardOf(teams[0]))).toContain('KB entry webdav-drive-root-hash-mismatch');
  });

  it('refuses a file over the cap and one that is not text, with a clear reply', async () => {
    channel.files.set('big.log', Buffer.alloc(70_000, 'a'));
    channel.files.set('logs.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 9, 9]));
    const replies = await expectReplies(activity({
      text: '',
      attachments: [
        { contentType: 'application/octet-stream', name: 'big.log', contentUrl: `${channel.url}/files/big.log` },
        { contentType: 'application/zip', name: 'logs.zip', contentUrl: `${channel.url}/files/logs.zip` },
      ],
    }));
    expect(replies).toHaveLength(2);
    expect(cardText(cardOf(replies[0]))).toContain('I did not read big.log: it is larger than the 64 KB limit');
    expect(cardText(cardOf(replies[1]))).toContain('I cannot read logs.zip: the data is not text');
  });

  it('answers help and a code lookup', async () => {
    expect(cardText(cardOf((await expectReplies(activity({ text: 'help' })))[0]))).toContain('What to paste');
    const code = cardText(cardOf((await viaChannel(activity({ text: 'code -2145844844' })))[0]));
    expect(code).toContain('0x80190194');
    expect(code).toContain('BG_E_HTTP_ERROR_404');
  });

  it('answers a feedback submission and records it', async () => {
    const replies = await viaChannel(activity({ text: '', value: { action: 'feedback', id: 'webdav-drive-root-hash-mismatch', verdict: 'helpful' } }));
    expect(cardText(cardOf(replies[0]))).toContain('Thanks, recorded: the answer webdav-drive-root-hash-mismatch helped.');
    expect(log.text()).toMatch(/"event":"feedback","entry":"webdav-drive-root-hash-mismatch","verdict":"helpful"/);
  });

  it('says when nothing matches and which logs to collect next', async () => {
    const replies = await expectReplies(activity({ text: '<![LOG[Successfully finished policy evaluation, error 0x87D00215]LOG]!><time="10:00:00.000+000" date="01-02-2024" component="PolicyAgent" context="" type="1" thread="1" file="x">' }));
    const shown = cardText(cardOf(replies[0]));
    expect(shown).toContain('No KB entry matches this paste.');
    expect(shown).toContain('Collect next');
    expect(shown).toContain('0x87D00215');
  });

  it('greets on install', async () => {
    const replies = await expectReplies(activity({ type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '28:bot' }] }));
    expect(cardText(cardOf(replies[0]))).toContain('Type help for examples');
  });

  it('answers malformed JSON and activities without a type with 400, not 500', async () => {
    for (const body of ['{"type": "message",', 'null', '[1,2]', '"text"']) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toHaveProperty('error');
    }
    const noType = await post({ ...activity(), type: undefined });
    expect(noType.status).toBe(400);
    expect(await noType.json()).toEqual({ error: 'the activity has no type' });
    expect((await post({ ...activity(), conversation: undefined })).status).toBe(400);
    expect((await post({ ...activity(), serviceUrl: undefined })).status).toBe(400);
  });

  it('refuses an oversized body with 413 before reading it whole', async () => {
    const declared = await rawPost({ 'Content-Type': 'application/json', 'Content-Length': String(50 * 1024 * 1024) }, () => undefined);
    expect(declared.status).toBe(413);
    let sent = 0;
    const chunked = await rawPost({ 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, (write) => {
      const chunk = Buffer.alloc(64 * 1024, 'a');
      // Keep sending until the server answers; it must not wait for the end of the body.
      const timer = setInterval(() => {
        if (sent > 32 * 1024 * 1024) return clearInterval(timer);
        sent += chunk.length;
        write(chunk);
      }, 2);
      return () => clearInterval(timer);
    });
    expect(chunked.status).toBe(413);
    expect(sent).toBeLessThan(32 * 1024 * 1024);
    expect(JSON.parse(chunked.body)).toEqual({ error: 'request body too large' });
  });

  it('wrote no pasted text to the log', () => {
    const logged = log.text();
    for (const s of ['OSDResults', 'WinHttpQueryHeaders', 'CHashUtil', 'Successfully finished policy', 'DP_Server']) expect(logged).not.toContain(s);
    expect(logged).toContain('"event":"diagnosis"');
  });
});

describe('GET /healthz and the web page API', () => {
  it('reports status, KB size, code-table size, index build time and version', async () => {
    const res = await fetch(`${server.url}/healthz`);
    const h = (await res.json()) as Record<string, unknown>;
    expect(h).toMatchObject({ status: 'ok', version: '0.1.0', mode: 'anonymous', webUi: true });
    expect(h['entries']).toBe(realKb().stats.entries);
    expect(h['codes']).toBe(realKb().stats.codes);
    expect(typeof h['indexBuildMs']).toBe('number');
  });

  it('serves the page and returns the card and the --json diagnosis from /api/diagnose', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('/web/adaptivecards.min.js');
    expect((await fetch(`${server.url}/web/adaptivecards.min.js`)).status).toBe(200);
    const res = await post({ text: fixture('seeds/003-smsts-multicast-sparse.log') }, '/api/diagnose');
    const body = (await res.json()) as { card: unknown; diagnosis: { matches: { id: string; evidence: unknown[] }[]; codes: unknown[]; facts: unknown; warnings: unknown[]; partial: boolean } };
    expect(body.diagnosis.matches[0]?.id).toBe('wds-multicast-sparse-file-hash-mismatch');
    expect(Object.keys(body.diagnosis).sort()).toEqual(['codes', 'facts', 'file', 'format', 'lines', 'matches', 'offTopic', 'partial', 'symptom', 'warnings']);
    expect(cardText(body.card)).toContain('KB entry wds-multicast-sparse-file-hash-mismatch');
  });

  it('takes a dropped file as bytes, and records feedback from the page', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixture('seeds/002-bitsadmin-hang.txt'), 'utf16le')]);
    const res = await fetch(`${server.url}/api/diagnose?name=bits.txt`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
    const body = (await res.json()) as { diagnosis: { file: string; matches: { id: string }[] } };
    expect(body.diagnosis.file).toBe('bits.txt');
    expect(body.diagnosis.matches[0]?.id).toBe('iis-request-filtering-denied-extension');
    const fb = await post({ id: 'iis-request-filtering-denied-extension', verdict: 'helpful' }, '/api/feedback');
    expect(fb.status).toBe(200);
    expect((await post({ id: 'nope', verdict: 'helpful' }, '/api/feedback')).status).toBe(400);
  });
});

/** A POST over node:http, to control headers and body timing; resolves on the response. */
function rawPost(headers: Record<string, string>, body: (write: (b: Buffer) => boolean) => (() => void) | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${server.url}/api/messages`);
    let stop: (() => void) | undefined;
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      stop?.();
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', (e) => {
      stop?.();
      reject(e);
    });
    req.flushHeaders();
    stop = body((b) => req.write(b));
  });
}
