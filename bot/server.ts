import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import type { Logger } from 'pino';
import restify, { type Request, type Response } from 'restify';
import type { LoadedKb } from '../kb/load-kb';
import { projectRoot } from '../kb/sources';
import { createBotAdapter, describe } from './adapter';
import { ConfigError, readConfig, type BotConfig } from './config';
import { isJsonType, mediaType, readJson, refuse, shownType } from './http-body';
import { createLogger } from './logger';
import { RateLimiter } from './rate-limit';
import { Responder } from './respond';
import { DiagnosisBot } from './teams-bot';
import { addWebRoutes } from './web-routes';
import { readCaptureSettings } from '../capture/settings';
import { UsageRecorder } from '../capture/recorder';
import type { CaptureStore } from '../capture/records';
import { ServerMetrics } from './metrics';
import { Usage } from './usage';

/**
 * The HTTP server: `POST /api/messages` for the Bot Framework, `GET /healthz`, and the
 * local web page when it is on. Every answer to a bad request is a 4xx with a short
 * generic body; details go to the log. Exported as `startServer` so that tests and the
 * benchmark start the real server on any port.
 */
export interface StartOptions {
  loaded: LoadedKb;
  /** Settings are read from this record (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides PORT; 0 picks a free port. */
  port?: number;
  logger?: Logger;
  /** A capture store to use instead of the one the settings name (tests). */
  captureStore?: CaptureStore;
}

export interface RunningServer {
  port: number;
  url: string;
  config: BotConfig;
  anonymous: boolean;
  /** Usage records (flush in tests before reading the store). */
  recorder: UsageRecorder;
  close(): Promise<void>;
}

export const VERSION: string = (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const config = readConfig(env);
  if (options.port !== undefined) config.port = options.port;
  let capture;
  try {
    capture = readCaptureSettings(env);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const logger = options.logger ?? createLogger(config);
  const responder = new Responder(options.loaded, config);
  const limiter = new RateLimiter(config.rateLimitPerMinute);
  const recorder = new UsageRecorder(capture, { logger, ...(options.captureStore ? { store: options.captureStore } : {}) });
  const metrics = config.metrics ? new ServerMetrics(() => recorder.stats()) : undefined;
  const usage = new Usage(recorder, metrics);
  const bot = new DiagnosisBot({ responder, config, logger, limiter, usage });
  const adapter = createBotAdapter(config, logger);
  const started = Date.now();

  const server = restify.createServer({ name: 'support-kb-bot', handleUncaughtExceptions: false });
  // Slow or stalled clients cannot hold a connection open for long.
  server.server.requestTimeout = 30_000;
  server.server.headersTimeout = 15_000;

  server.post('/api/messages', async (req: Request, res: Response) => {
    const t0 = performance.now();
    const type = mediaType(req);
    if (!isJsonType(type)) {
      logger.info({ event: 'bad-activity', problem: 'content-type', contentType: shownType(type) }, 'activity refused');
      return refuse(req, res, 415, `${shownType(type)} is not accepted here; this endpoint takes Bot Framework activities as application/json`);
    }
    const body = await readJson(req, config.maxBodyBytes);
    if (!body.ok) return refuse(req, res, body.status, body.status === 413 ? 'request body too large' : 'the body must be a JSON Bot Framework activity');
    const problem = activityProblem(body.value);
    if (problem) {
      logger.info({ event: 'bad-activity', problem }, 'activity refused');
      return refuse(req, res, 400, problem);
    }
    const activity = body.value as Activity;
    const result = await adapter.handle(headerValue(req.headers.authorization), activity, (ctx) => bot.run(ctx));
    const status = result.outcome === 'done' ? result.status : result.outcome === 'unauthorized' ? 401 : result.outcome === 'unavailable' ? 503 : 500;
    logger.info({ event: 'activity', type: activity.type, channel: activity.channelId, status, expectReplies: activity.deliveryMode === 'expectReplies', ms: Math.round(performance.now() - t0) }, 'activity handled');
    if (result.outcome === 'unauthorized') return refuse(req, res, 401, 'unauthorized');
    if (result.outcome === 'unavailable') {
      res.header('Retry-After', '30');
      return refuse(req, res, 503, 'the identity service could not be reached; try again later');
    }
    if (result.outcome === 'failed') return refuse(req, res, 500, 'internal error');
    if (result.body !== undefined) res.send(result.status, result.body);
    else {
      res.status(result.status);
      res.end();
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    const s = options.loaded.stats;
    const captureHealth = await recorder.health();
    res.send(200, {
      status: 'ok',
      version: VERSION,
      entries: s.entries,
      codes: s.codes,
      signatures: s.signatures,
      indexBuildMs: round(s.indexBuildMs),
      kbLoadMs: round(s.loadMs),
      mode: adapter.anonymous ? 'anonymous' : 'authenticated',
      webUi: config.webUi,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      // The bot answers whether or not the store does: a store that is down is reported, not fatal.
      capture: captureHealth,
    });
  });

  if (metrics) {
    server.get('/metrics', async (_req: Request, res: Response) => {
      const m = await metrics.text();
      res.writeHead(200, { 'Content-Type': m.type, 'Cache-Control': 'no-store' });
      res.end(m.body);
    });
    // Route patterns, not URLs: a label set that cannot grow with what clients send.
    server.on('after', (req: Request, res: Response) => {
      const route = (req.getRoute?.()?.path as string | undefined) ?? 'unmatched';
      metrics.request(route, req.method ?? 'GET', res.statusCode);
    });
  }

  if (config.webUi) addWebRoutes(server, { responder, config, logger, limiter, usage });

  server.on('restifyError', (_req: Request, _res: Response, err: Error, cb: () => void) => {
    if ((err as { statusCode?: number }).statusCode === undefined || ((err as { statusCode?: number }).statusCode ?? 500) >= 500) {
      logger.error({ event: 'http-error', error: describe(err) }, 'request failed');
    }
    return cb();
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  // The help card names the page's address: with PORT=0 that is the port just picked.
  config.port = port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return {
    port,
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    config,
    anonymous: adapter.anonymous,
    recorder,
    close: async () => {
      await closeServer(server, logger);
      await recorder.close();
    },
  };
}

/** Why a parsed body is not an activity this server can take, or undefined. */
export function activityProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the body must be a JSON object (a Bot Framework activity)';
  const a = value as Record<string, unknown>;
  if (typeof a['type'] !== 'string' || a['type'].length === 0) return 'the activity has no type';
  const conversation = a['conversation'] as { id?: unknown } | undefined;
  if (typeof conversation !== 'object' || conversation === null || typeof conversation.id !== 'string') return 'the activity has no conversation.id';
  if (a['deliveryMode'] !== 'expectReplies' && typeof a['serviceUrl'] !== 'string') return 'the activity has no serviceUrl (or set deliveryMode to expectReplies)';
  return undefined;
}

function headerValue(h: string | string[] | undefined): string {
  return Array.isArray(h) ? (h[0] ?? '') : (h ?? '');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

async function closeServer(server: restify.Server, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
  server.server.closeIdleConnections();
  const force = setTimeout(() => {
    logger.warn({ event: 'shutdown-forced' }, 'open connections closed after 10 s');
    server.server.closeAllConnections();
  }, 10_000);
  force.unref();
  await closed;
  clearTimeout(force);
}
