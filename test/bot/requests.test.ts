import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../bot/server';
import { realKb } from '../helpers/kb';
import { capturingLogger, cardOf, cardText } from './helpers';

/**
 * What a new user sends that is not quite what the server expected: messages whose text is
 * Teams HTML, request bodies of the wrong type, and pastes over the size limits. The real
 * server on an ephemeral port in local anonymous mode, as in server.test.ts.
 */
let server: RunningServer;
const log = capturingLogger('info');
let seq = 0;

beforeAll(async () => {
  server = await startServer({
    loaded: realKb(),
    port: 0,
    // 256 KB for a request body, 1 MB for a file.
    env: { CAPTURE: 'off', MAX_BODY_BYTES: '262144', MAX_FILE_BYTES: '1048576', RATE_LIMIT_PER_MINUTE: '0' },
    logger: log.logger,
  });
});

afterAll(async () => {
  await server?.close();
});

const BOT = { id: '28:bot', name: 'KBBot' };

function activity(extra: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    type: 'message',
    id: `activity-${seq}`,
    channelId: 'msteams',
    deliveryMode: 'expectReplies',
    conversation: { id: `a:requests-${seq}`, conversationType: 'personal' },
    from: { id: '29:user', name: 'Support Engineer' },
    recipient: BOT,
    timestamp: new Date().toISOString(),
    locale: 'en-US',
    ...extra,
  };
}

async function post(path: string, body: string | Buffer, type?: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: type === undefined ? {} : { 'Content-Type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

async function replies(a: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const res = await post('/api/messages', JSON.stringify(a), 'application/json');
  expect(res.status).toBe(200);
  return ((await res.json()) as { activities: Record<string, unknown>[] }).activities;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// An SMSTS failure in CMTrace format: 5 lines, answered with high confidence when pasted as text.
const CMTRACE = [
  'Downloaded file from http://DP01.corp.contoso.com:80/SMS_DP_SMSPKGD$/PS100012/Tools/OSDResults/OSDResults.exe to C:\\_SMSTaskSequence\\Packages\\PS100012\\Tools\\OSDResults\\OSDResults.exe',
  'WinHttpQueryHeaders() returns status code 404 (Not Found)',
  'Download() failed with 0x80004005',
  'Error downloading file from http://DP01.corp.contoso.com:80/SMS_DP_SMSPKGD$/PS100012/Tools/OSDResults/OSDResults.exe.config to C:\\_SMSTaskSequence\\Packages\\PS100012\\Tools\\OSDResults\\OSDResults.exe.config',
  'Retrying download...',
].map((m, i) => `<![LOG[${m}]LOG]!><time="10:14:0${i}.674+000" date="03-25-2026" component="InstallSoftware" context="" type="3" thread="5120" file="downloadcontent.cpp:1090">`);

// An IIS line for a content URL with a "+" in the path: 404.11, double escaping denied.
const IIS_404_11 = '2024-05-02 10:11:12 10.0.0.5 GET /SMS_DP_SMSPKGD$/ABC00123/Program+Files/app.msi - 80 - 10.0.0.9 Microsoft+BITS/7.8 404 11 0 15';

describe('a message whose text is Teams HTML', () => {
  it('answers the IIS 404 11 line with high confidence on its own (the reference)', async () => {
    const shown = cardText(cardOf((await replies(activity({ text: IIS_404_11 })))[0]));
    expect(shown).toContain('1 line · iis');
    expect(shown).toContain('Confidence: high');
    expect(shown).toContain('KB entry iis-request-filtering-double-escaping');
  });

  it('gives the same answer when the line comes inside <p> with textFormat xml', async () => {
    for (const textFormat of ['xml', undefined]) {
      const shown = cardText(cardOf((await replies(activity({ text: `<p>${esc(IIS_404_11)}</p>`, textFormat })))[0]));
      expect(shown).toContain('1 line · iis');
      expect(shown).toContain('Confidence: high');
      expect(shown).toContain('KB entry iis-request-filtering-double-escaping');
    }
  });

  it('reads an @mention and a <pre><code> block of CMTrace lines as lines, with entities decoded', async () => {
    const html = `<p><at>KBBot</at> the task sequence fails here:</p><pre><code>${CMTRACE.map(esc).join('<br>')}</code></pre>`;
    for (const extra of [
      { textFormat: 'xml' },
      // The same, with the mention entity Teams adds in a channel.
      { textFormat: 'xml', entities: [{ type: 'mention', text: '<at>KBBot</at>', mentioned: BOT }] },
      // And with the HTML attachment Teams sends alongside.
      { textFormat: 'xml', attachments: [{ contentType: 'text/html', content: html }] },
    ]) {
      const reply = (await replies(activity({ text: html, ...extra })))[0];
      const shown = cardText(cardOf(reply));
      expect(shown).toContain(`${CMTRACE.length + 1} lines · cmtrace`);
      expect(shown).toContain('Confidence: high');
      expect(shown).toContain('KB entry iis-request-filtering-denied-extension');
      const json = JSON.stringify(cardOf(reply));
      for (const raw of ['<p>', '&lt;![LOG[', '<br>', '<at>', 'KBBot', '&quot;']) expect(json).not.toContain(raw);
    }
  });

  it('leaves plain text that merely contains "<" alone', async () => {
    const plain = cardText(cardOf((await replies(activity({ text: CMTRACE.join('\n') })))[0]));
    expect(plain).toContain(`${CMTRACE.length} lines · cmtrace`);
    expect(plain).toContain('KB entry iis-request-filtering-denied-extension');
    const xml = '<Content ContentID="Content_1" Version="1"><br/></Content>';
    const shown = cardText(cardOf((await replies(activity({ text: `${CMTRACE.join('\n')}\n${xml}`, textFormat: 'plain' })))[0]));
    expect(shown).toContain(`${CMTRACE.length + 1} lines · cmtrace`);
  });
});

describe('request bodies of the wrong type', () => {
  it('/api/diagnose takes text/plain as the paste itself', async () => {
    const res = await post('/api/diagnose', IIS_404_11, 'text/plain; charset=utf-8');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { diagnosis: { lines: number; matches: { id: string; confidence: string }[] } };
    expect(body.diagnosis.lines).toBe(1);
    expect(body.diagnosis.matches[0]).toMatchObject({ id: 'iis-request-filtering-double-escaping', confidence: 'high' });
    // fetch() labels a string body text/plain: the page's JSON still works that way.
    const json = await post('/api/diagnose', JSON.stringify({ text: IIS_404_11 }));
    expect(json.status).toBe(200);
    expect(((await json.json()) as { diagnosis: { matches: { id: string }[] } }).diagnosis.matches[0]?.id).toBe('iis-request-filtering-double-escaping');
    const command = await post('/api/diagnose', 'help', 'text/plain');
    expect(await command.json()).toMatchObject({ command: 'help' });
  });

  it('/api/diagnose answers 415 naming the accepted types for a form or multipart body', async () => {
    const form = new FormData();
    form.set('text', IIS_404_11);
    for (const res of [
      await post('/api/diagnose', `text=${encodeURIComponent(IIS_404_11)}`, 'application/x-www-form-urlencoded'),
      await fetch(`${server.url}/api/diagnose`, { method: 'POST', body: form }),
      await post('/api/diagnose', '<x/>', 'application/xml'),
    ]) {
      expect(res.status).toBe(415);
      const { error } = (await res.json()) as { error: string };
      expect(error).toContain('application/json {"text"');
      expect(error).toContain('text/plain');
      expect(error).toContain('application/octet-stream');
      expect(error).not.toContain('not valid JSON');
    }
  });

  it('/api/messages answers 415 for anything but JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await post('/api/messages', JSON.stringify(activity({ text: 'help' })), type);
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: string }).error).toContain('Bot Framework activities as application/json');
    }
    expect((await post('/api/messages', JSON.stringify(activity({ text: 'help' })), 'application/json; charset=utf-8')).status).toBe(200);
  });

  it('/api/feedback says when the entry id is not in this KB', async () => {
    const res = await post('/api/feedback', JSON.stringify({ id: 'no-such-entry', verdict: 'helpful' }), 'application/json');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('the entry id "no-such-entry" is not in this KB');
    const bad = await post('/api/feedback', JSON.stringify({ id: 'iis-request-filtering-double-escaping', verdict: 'meh' }), 'application/json');
    expect(((await bad.json()) as { error: string }).error).toContain('"verdict": "helpful" | "not-helpful"');
    const ok = await post('/api/feedback', JSON.stringify({ id: 'iis-request-filtering-double-escaping', verdict: 'helpful' }), 'application/json');
    expect(ok.status).toBe(200);
  });
});

describe('limits that say what to do', () => {
  // 300 KB of log lines: over the 256 KB request limit, under the 1 MB file limit.
  const big = Array.from({ length: 2600 }, () => IIS_404_11).join('\n');

  it('a paste over the request limit names the limit and says to attach or drop the file', async () => {
    for (const res of [await post('/api/diagnose', JSON.stringify({ text: big }), 'application/json'), await post('/api/diagnose', big, 'text/plain')]) {
      expect(res.status).toBe(413);
      const { error } = (await res.json()) as { error: string };
      expect(error).toBe('the paste is larger than the 256 KB limit for pasted text; attach or drop the log as a file instead (files up to 1 MB)');
    }
    const asFile = await post('/api/diagnose?name=u_ex240502.log', Buffer.from(big), 'application/octet-stream');
    expect(asFile.status).toBe(200);
    expect(((await asFile.json()) as { diagnosis: { matches: { id: string }[] } }).diagnosis.matches[0]?.id).toBe('iis-request-filtering-double-escaping');
  });

  it('a file over the file limit gives the limit in MB, not bytes, and no internals', async () => {
    const res = await post('/api/diagnose?name=huge.log', Buffer.alloc(1_100_000, 'a'), 'application/octet-stream');
    expect(res.status).toBe(413);
    const { error } = (await res.json()) as { error: string };
    expect(error).toContain('larger than the 1 MB limit');
    expect(error).not.toMatch(/\d{5,}|bytes|\/work|at .*\.ts/);
  });
});
