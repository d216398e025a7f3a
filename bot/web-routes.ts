import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import { projectRoot } from '../kb/sources';
import { parseCommand } from './commands';
import type { BotConfig } from './config';
import { readBody, readJson, refuse } from './http-body';
import type { RateLimiter } from './rate-limit';
import type { Responder } from './respond';

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
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('application/octet-stream')) {
      const body = await readBody(req, deps.config.maxFileBytes);
      if (!body.ok) return refuse(req, res, body.status, body.status === 413 ? `the file is larger than the ${deps.config.maxFileBytes}-byte limit` : body.message);
      const name = (new URL(req.url ?? '/', 'http://localhost').searchParams.get('name') ?? '').slice(0, 200) || 'dropped file';
      const reply = deps.responder.diagnoseFile(body.bytes, name);
      if (!('diagnosis' in reply)) return refuse(req, res, 422, reply.text);
      deps.logger.info({ event: 'web-diagnosis', source: 'file', bytes: body.bytes.length, top: reply.diagnosis.matches[0]?.id ?? null, ms: Math.round(performance.now() - t0) }, 'file diagnosed');
      res.send(200, { card: reply.card, diagnosis: reply.diagnosis });
      return;
    }
    const body = await readJson(req, deps.config.maxBodyBytes);
    if (!body.ok) return refuse(req, res, body.status, body.status === 413 ? 'the paste is too large for one request' : body.message);
    const v = body.value as { text?: unknown; fileName?: unknown } | null;
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
    const reply = deps.responder.diagnose(v.text, fileName);
    deps.logger.info({ event: 'web-diagnosis', source: 'paste', chars: v.text.length, lines: reply.diagnosis.lines, top: reply.diagnosis.matches[0]?.id ?? null, ms: Math.round(performance.now() - t0) }, 'paste diagnosed');
    res.send(200, { card: reply.card, diagnosis: reply.diagnosis });
  });

  server.post('/api/followup', async (req: Request, res: Response) => {
    if (!allowed(req, res, deps)) return;
    const body = await readJson(req, 16_384);
    if (!body.ok) return refuse(req, res, body.status, body.message);
    const reply = deps.responder.followUp(body.value);
    if (!('diagnosis' in reply)) return refuse(req, res, 400, reply.text);
    deps.logger.info({ event: 'web-follow-up', family: reply.diagnosis.symptom?.id ?? null, top: reply.diagnosis.matches[0]?.id ?? null }, 'follow-up answered');
    res.send(200, { card: reply.card, diagnosis: reply.diagnosis });
  });

  server.post('/api/feedback', async (req: Request, res: Response) => {
    if (!allowed(req, res, deps)) return;
    const body = await readJson(req, 4096);
    if (!body.ok) return refuse(req, res, body.status, body.message);
    const v = body.value as { id?: unknown; verdict?: unknown } | null;
    if (typeof v !== 'object' || v === null || typeof v.id !== 'string' || !deps.responder.hasEntry(v.id) || (v.verdict !== 'helpful' && v.verdict !== 'not-helpful')) {
      return refuse(req, res, 400, 'send {"id": "<kb entry id>", "verdict": "helpful" | "not-helpful"}');
    }
    deps.logger.info({ event: 'feedback', source: 'web', entry: v.id, verdict: v.verdict }, 'feedback recorded');
    res.send(200, { message: `Thanks, recorded: ${v.id} ${v.verdict === 'helpful' ? 'helped' : 'did not help'}.` });
  });
}

/** The page's endpoints share the per-minute limit, keyed by client address. */
function allowed(req: Request, res: Response, deps: WebDeps): boolean {
  const d = deps.limiter.check(`web:${req.socket.remoteAddress ?? 'unknown'}`);
  if (d.allowed) return true;
  res.header('Retry-After', String(d.retryAfterSeconds));
  refuse(req, res, 429, `too many requests; try again in ${d.retryAfterSeconds} seconds`);
  return false;
}
