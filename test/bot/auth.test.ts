import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../bot/server';
import { realKb } from '../helpers/kb';
import { capturingLogger } from './helpers';

/**
 * With an app ID every request must carry a valid Bot Framework token. The signing-key
 * metadata address points at this machine (a closed port, then a server that never
 * answers), so the tests reach no outside endpoint and show both outcomes: 401 for a request
 * that is not authorised, 503 when the identity endpoint cannot be reached. The bodies say
 * nothing about why; the log does.
 */
let refused: RunningServer;
let hanging: RunningServer;
let silent: Server;
const log = capturingLogger('info');
const APP_ID = '6d1f0a52-0000-4000-8000-00000000abcd';

function b64(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

const payload = b64({ iss: 'https://api.botframework.com', aud: APP_ID, exp: 4102444800, nbf: 1700000000, serviceurl: 'https://smba.trafficmanager.net/amer/' });
const UNSIGNED_RS256 = `Bearer ${b64({ alg: 'RS256', typ: 'JWT', kid: 'test-key' })}.${payload}.c2lnbmF0dXJl`;
const ALG_NONE = `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;

beforeAll(async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const silentPort = (silent.address() as AddressInfo).port;
  const env = { CAPTURE: 'off', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: '72f988bf-0000-4000-8000-000000000000' };
  refused = await startServer({ loaded: realKb(), port: 0, logger: log.logger, env: { ...env, HOST: '127.0.0.1', BotOpenIdMetadata: `http://127.0.0.1:${closedPort}/openid` } });
  hanging = await startServer({ loaded: realKb(), port: 0, logger: log.logger, env: { ...env, HOST: '127.0.0.1', AUTH_TIMEOUT_MS: '500', BotOpenIdMetadata: `http://127.0.0.1:${silentPort}/openid` } });
});

afterAll(async () => {
  await refused?.close();
  await hanging?.close();
  silent?.closeAllConnections();
  await new Promise<void>((r) => (silent ? silent.close(() => r()) : r()));
});

const activity = {
  type: 'message',
  id: 'a1',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  conversation: { id: 'a:1' },
  from: { id: '29:u' },
  recipient: { id: `28:${APP_ID}` },
  text: 'help',
};

async function post(server: RunningServer, authorization: string | undefined, body: unknown = activity): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (authorization !== undefined) headers['Authorization'] = authorization;
  const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

describe('authentication with an app ID', () => {
  it('answers 401 with a generic body to a request without or with a bad Authorization header', async () => {
    for (const auth of [undefined, '', 'Bearer garbage', 'Basic dXNlcjpwYXNz', ALG_NONE]) {
      const r = await post(refused, auth);
      expect(r.status, String(auth)).toBe(401);
      expect(JSON.parse(r.text)).toEqual({ error: 'unauthorized' });
    }
    expect((await post(refused, undefined, { ...activity, deliveryMode: 'expectReplies' })).status).toBe(401);
  });

  it('answers 503, never 500 with error text, when the identity endpoint cannot be reached or does not answer', async () => {
    for (const server of [refused, hanging]) {
      const r = await post(server, UNSIGNED_RS256);
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text)).toEqual({ error: 'the identity service could not be reached; try again later' });
      expect(r.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|openid|stack|Error/);
    }
    const logged = log.text();
    expect(logged).toContain('"event":"auth-failed","status":503');
    expect(logged).not.toContain('c2lnbmF0dXJl');
  });

  it('still answers malformed JSON and activities without a type with 400', async () => {
    expect((await post(refused, UNSIGNED_RS256, '{"type":')).status).toBe(400);
    expect((await post(refused, UNSIGNED_RS256, { ...activity, type: '' })).status).toBe(400);
  });

  it('keeps the web page off unless WEB_UI=on', async () => {
    expect((await fetch(`${refused.url}/`)).status).toBe(404);
    expect((await fetch(`${refused.url}/api/diagnose`, { method: 'POST', body: '{}' })).status).toBe(404);
    const health = (await (await fetch(`${refused.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ mode: 'authenticated', webUi: false });
  });
});
