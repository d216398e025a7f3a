import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import { projectRoot } from '../kb/sources';
import { parseCommand } from './commands';
import type { BotConfig } from './config';
import { formatBytes } from './attachments';
import { isJsonType, mediaType, readBody, readJson, refuse, shownType } from './http-body';
import type { RateLimiter } from './rate-limit';
import type { Responder } from './respond';
import type { Usage } from './usage';

/**
 * The local web page: `GET /` and its script, the Adaptive Cards renderer served from
 * node_modules (the page works offline, no CDN), `POST /api/diagnose` (JSON `{text}` or
 * the raw bytes of a dropped file) and `POST /api/feedback`. The page shows the same
 * card the bot sends, so KB authors can try an entry before opening a pull request.
 */
interface WebDeps {
  responder: Responder;
  config: BotConfig;
  logger: Logger;
  limiter: RateLimiter;
  usage?: Usage;
}

const require = createRequire(import.meta.url);
// The page's files are read from the sources, whether the server runs from them or from dist/.
const WEB_DIR = pathToFileURL(join(projectRoot(), 'bot', 'web') + '/');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export function addWebRoutes(server: Server, deps: WebDeps): void {
  const files: Record<string, { type: string; body: Buffer }> = {
    '/': { type: 'text/html; charset=utf-8', body: readFileSync(new URL('index.html', WEB_DIR)) },
    '/web/app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('app.js', WEB_DIR)) },
    '/web/style.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('style.css', WEB_DIR)) },
    '/web/adaptivecards.min.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js')) },
    '/web/adaptivecards.css': { type: 'text/css; charset=utf-8', body: readFileSync(require.resolve('adaptivecards/dist/adaptivecards.css')) },
  };
  for (const [path, file] of Object.entries(files)) {
    server.get(path, async (_req: Request, res: Response) => {
      res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length, ...SECURITY_HEADERS });
      res.end(file.body);
    });
  }

  server.get('/favicon.ico', async (_req: Request, res: Response) => {
    res.status(204);
    res.end();
  });

  server.post('/api/diagnose', async (req: Request, res: Response) => {
    const t0 = performance.now();
    if (!allowed(req, res, deps)) return;
    const { maxBodyBytes, maxFileBytes } = deps.config;
    const type = mediaType(req);
    if (type === 'application/octet-stream') {
      const body = await readBody(req, maxFileBytes);
      if (!body.ok) return refuse(req, res, body.status, body.status === 413 ? `the file is larger than the ${formatBytes(maxFileBytes)} limit for files; send the part of the log around the failure` : body.message);
      const name = (new URL(req.url ?? '/', 'http://localhost').searchParams.get('name') ?? '').slice(0, 200) || 'dropped file';
      const reply = deps.responder.diagnoseFile(body.bytes, name, deps.usage?.newId());
      if (!('diagnosis' in reply)) return refuse(req, res, 422, reply.text);
      deps.usage?.diagnosed('page', reply, t0);
      deps.logger.info({ event: 'web-diagnosis', source: 'file', bytes: body.bytes.length, top: reply.diagnosis.matches[0]?.id ?? null, ms: Math.round(performance.now() - t0) }, 'file diagnosed');
      res.send(200, { card: reply.card, diagnosis: reply.diagnosis });
      return;
    }
    if (type !== 'text/plain' && !isJsonType(type)) {
      deps.logger.info({ event: 'web-bad-request', reason: 'content-type', contentType: shownType(type) }, 'request refused');
      return refuse(req, res, 415, `${shownType(type)} is not accepted here; send application/json {"text": "<the log lines>"}, text/plain with the log lines as the body, or application/octet-stream with the bytes of a log file`);
    }
    const tooLarge = `the paste is larger than the ${formatBytes(maxBodyBytes)} limit for pasted text; attach or drop the log as a file instead (files up to ${formatBytes(maxFileBytes)})`;
    let v: { text?: unknown; fileName?: unknown } | null;
    if (type === 'text/plain') {
      const body = await readBody(req, maxBodyBytes);
      if (!body.ok) return refuse(req, res, body.status, body.status === 413 ? tooLarge : body.message);
      const text = body.bytes.toString('utf8');
      // fetch() labels a string body text/plain, so a {"text": ...} sent without a type still works.
      v = jsonPaste(text) ?? { text };
    } else {
      const body = await readJson(req, maxBodyBytes);
      if (!body.ok) return refuse(req, res, body.status, body.status === 413 ? tooLarge : body.message);
      v = body.value as { text?: unknown; fileName?: unknown } | null;
    }
    if (typeof v !== 'object' || v === null || typeof v.text !== 'string') return refuse(req, res, 400, 'send {"text": "<the log lines>"}');
    const command = parseCommand(v.text);
    if (command) {
      const reply = deps.responder.command(command);
      deps.logger.info({ event: 'web-command', command: command.kind, result: reply.summary }, 'command answered');
      res.send(200, { card: reply.card, command: command.kind });
      return;
    }
    if (deps.config.logPastedText) deps.logger.debug({ pastedText: v.text }, 'pasted text (LOG_PASTED_TEXT is on)');
    const fileName = typeof v.fileName === 'string' && v.fileName.length > 0 ? v.fileName.slice(0, 200) : null;
    const reply = deps.responder.diagnose(v.text, fileName, deps.usage?.newId());
    deps.usage?.diagnosed('page', reply, t0);
    deps.logger.info({ event: 'web-diagnosis', source: type === 'text/plain' ? 'paste-text' : 'paste', chars: v.text.length, lines: reply.diagnosis.lines, top: reply.diagnosis.matches[0]?.id ?? null, ms: Math.round(performance.now() - t0) }, 'paste diagnosed');
    res.send(200, { card: reply.card, diagnosis: reply.diagnosis });
  });

  server.post('/api/followup', async (req: Request, res: Response) => {
    if (!allowed(req, res, deps)) return;
    if (!isJsonType(mediaType(req))) return refuse(req, res, 415, `${shownType(mediaType(req))} is not accepted here; send application/json`);
    const body = await readJson(req, 16_384);
    if (!body.ok) return refuse(req, res, body.status, body.message);
    const reply = deps.responder.followUp(body.value);
    if (!('diagnosis' in reply)) return refuse(req, res, 400, reply.text);
    const state = body.value as { outcome?: unknown; family?: unknown };
    deps.usage?.feedback('page', { outcome: state.outcome, verdict: 'followup', family: state.family });
    deps.logger.info({ event: 'web-follow-up', family: reply.diagnosis.symptom?.id ?? null, top: reply.diagnosis.matches[0]?.id ?? null }, 'follow-up answered');
    res.send(200, { card: reply.card, diagnosis: reply.diagnosis });
  });

  server.post('/api/feedback', async (req: Request, res: Response) => {
    if (!allowed(req, res, deps)) return;
    if (!isJsonType(mediaType(req))) return refuse(req, res, 415, `${shownType(mediaType(req))} is not accepted here; send application/json`);
    const body = await readJson(req, 4096);
    if (!body.ok) return refuse(req, res, body.status, body.message);
    const v = body.value as { id?: unknown; verdict?: unknown; outcome?: unknown } | null;
    if (typeof v !== 'object' || v === null || typeof v.id !== 'string' || (v.verdict !== 'helpful' && v.verdict !== 'not-helpful')) {
      return refuse(req, res, 400, 'send {"id": "<kb entry id>", "verdict": "helpful" | "not-helpful", "outcome": "<the outcome id on the card, optional>"}');
    }
    if (!deps.responder.hasEntry(v.id)) {
      const shown = /^[A-Za-z0-9._-]{1,120}$/.test(v.id) ? `"${v.id}"` : 'that id';
      return refuse(req, res, 400, `the entry id ${shown} is not in this KB; send the id of an entry shown on a card (its "KB entry" line), or paste the log again for a fresh answer`);
    }
    deps.logger.info({ event: 'feedback', source: 'web', entry: v.id, verdict: v.verdict }, 'feedback recorded');
    deps.usage?.feedback('page', { outcome: v.outcome, id: v.id, verdict: v.verdict });
    res.send(200, { message: `Thanks, recorded: ${v.id} ${v.verdict === 'helpful' ? 'helped' : 'did not help'}.` });
  });
}

/** A text/plain body that is in fact the JSON `{"text": ...}` the page sends, or undefined. */
function jsonPaste(body: string): { text: string; fileName?: unknown } | undefined {
  if (!body.trimStart().startsWith('{')) return undefined;
  try {
    const v = JSON.parse(body) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { text?: unknown }).text === 'string') return v as { text: string };
  } catch {
    // Not JSON: the body is the paste.
  }
  return undefined;
}

/** The page's endpoints share the per-minute limit, keyed by client address. */
function allowed(req: Request, res: Response, deps: WebDeps): boolean {
  const d = deps.limiter.check(`web:${req.socket.remoteAddress ?? 'unknown'}`);
  if (d.allowed) return true;
  deps.usage?.rateLimited('page');
  res.header('Retry-After', String(d.retryAfterSeconds));
  refuse(req, res, 429, `too many requests; try again in ${d.retryAfterSeconds} seconds`);
  return false;
}
