/**
 * The server's settings, read from the environment in one place so that every knob has
 * one name, one default and one line in the README's table. Pure: it reads the record it
 * is given, so tests pass their own instead of touching process.env.
 */
export interface BotConfig {
  port: number;
  /** Interface to listen on: loopback in anonymous mode, all interfaces with an app ID. */
  host: string;
  /** Bot Framework credentials; an empty app ID means local anonymous mode. */
  appId: string;
  appPassword: string;
  appType: string;
  appTenantId: string;
  /** The KB folder (entries/, codes/, iis/); empty: the project's kb/. */
  kbDir: string;
  /** Where channel tokens' signing keys are published (botbuilder's BotOpenIdMetadata); empty: the public cloud's. */
  openIdMetadataUrl: string;
  /** Whether `GET /` and `POST /api/diagnose` are served. */
  webUi: boolean;
  logLevel: string;
  /** Debug option: log pasted text and file contents. Off by default: logs carry host and user names. */
  logPastedText: boolean;
  /** Request bodies larger than this are refused with 413 before they are read whole. */
  maxBodyBytes: number;
  /** Pasted text longer than this is cut, and the reply says so. */
  maxPasteChars: number;
  /** Attached or dropped files larger than this are refused. */
  maxFileBytes: number;
  maxLines: number;
  maxLineLength: number;
  /** Time the diagnosis may take for one input before it answers from what it read. */
  timeBudgetMs: number;
  /** Messages per conversation per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  downloadTimeoutMs: number;
  /** How long to wait for Microsoft's identity endpoints before answering 503. */
  authTimeoutMs: number;
  /** Whether `GET /metrics` (Prometheus text format) is served; `METRICS=off` turns it off. */
  metrics: boolean;
}

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

export function readConfig(env: Env): BotConfig {
  const appId = (env['MicrosoftAppId'] ?? '').trim();
  const webUi = (env['WEB_UI'] ?? 'auto').trim().toLowerCase();
  if (!['auto', 'on', 'off'].includes(webUi)) throw new ConfigError(`WEB_UI must be auto, on or off (got "${webUi}")`);
  return {
    port: int(env, 'PORT', 3978, 0, 65535),
    host: (env['HOST'] ?? '').trim() || (appId ? '0.0.0.0' : '127.0.0.1'),
    appId,
    appPassword: env['MicrosoftAppPassword'] ?? '',
    appType: (env['MicrosoftAppType'] ?? '').trim(),
    appTenantId: (env['MicrosoftAppTenantId'] ?? '').trim(),
    openIdMetadataUrl: (env['BotOpenIdMetadata'] ?? '').trim(),
    kbDir: (env['KB_DIR'] ?? '').trim(),
    webUi: webUi === 'on' || (webUi === 'auto' && appId === ''),
    logLevel: (env['LOG_LEVEL'] ?? 'info').trim(),
    logPastedText: flag(env, 'LOG_PASTED_TEXT'),
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
    maxPasteChars: int(env, 'MAX_PASTE_CHARS', 200_000, 100, 50_000_000),
    maxFileBytes: int(env, 'MAX_FILE_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxLines: int(env, 'MAX_LINES', 200_000, 10, 100_000_000),
    // The core's default (matchers/diagnose.ts) and the command line's: one default everywhere.
    maxLineLength: int(env, 'MAX_LINE_LENGTH', 8192, 80, 1_000_000),
    timeBudgetMs: int(env, 'TIME_BUDGET_MS', 5000, 10, 600_000),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 30, 0, 100_000),
    downloadTimeoutMs: int(env, 'DOWNLOAD_TIMEOUT_MS', 15_000, 100, 600_000),
    authTimeoutMs: int(env, 'AUTH_TIMEOUT_MS', 10_000, 100, 120_000),
    metrics: (env['METRICS'] ?? '').trim() === '' ? true : flag(env, 'METRICS'),
  };
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'off' || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === 'on' || raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw new ConfigError(`${name} must be on or off (got "${raw}")`);
}
