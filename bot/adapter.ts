import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { ConfigError, type BotConfig } from './config';

/**
 * The Bot Framework adapter and its authentication, kept in this one file (with
 * teams-bot.ts) so that a move to another SDK touches only them.
 *
 * The request is authenticated here rather than inside `CloudAdapter.process`, because
 * `process` answers a failure to reach Microsoft's identity endpoints with 500 and the
 * error text in the body. Here every outcome is one of: the turn's own status (200, or
 * the expectReplies body), 401 for a request that is not authorised, 503 when the identity
 * endpoints cannot be reached, 500 for anything else — always with a generic body; the
 * details go to the log only.
 */
export type ActivityResult =
  /** The turn ran: its status (200, or an invoke's own) and body (the expectReplies activities). */
  | { outcome: 'done'; status: number; body?: unknown }
  | { outcome: 'unauthorized' }
  /** Microsoft's identity endpoints could not be reached. */
  | { outcome: 'unavailable' }
  | { outcome: 'failed' };

export type TurnLogic = (ctx: TurnContext) => Promise<void>;

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

class DirectCloudAdapter extends CloudAdapter {
  /** Runs a turn for an activity whose request was already authenticated. */
  runAuthenticated(auth: AuthenticateRequestResult, activity: Activity, logic: TurnLogic): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

export interface BotAdapter {
  /** True when no app ID is configured: requests are not authenticated (Emulator, local tests). */
  readonly anonymous: boolean;
  handle(authorization: string, activity: Activity, logic: TurnLogic): Promise<ActivityResult>;
}

export function createBotAdapter(config: BotConfig, logger: Logger): BotAdapter {
  const settings: Record<string, string> = {};
  // Without an app ID the other credentials mean nothing (and botbuilder refuses an app
  // type without an ID), so anonymous mode passes none of them.
  if (config.appId) {
    settings['MicrosoftAppId'] = config.appId;
    if (config.appPassword) settings['MicrosoftAppPassword'] = config.appPassword;
    if (config.appType) settings['MicrosoftAppType'] = config.appType;
    if (config.appTenantId) settings['MicrosoftAppTenantId'] = config.appTenantId;
  }
  if (config.openIdMetadataUrl) Object.assign(settings, publicCloudWithKeysFrom(config.openIdMetadataUrl));
  let auth: ConfigurationBotFrameworkAuthentication;
  try {
    auth = new ConfigurationBotFrameworkAuthentication(settings);
  } catch (e) {
    throw new ConfigError(`the Bot Framework settings are incomplete: ${((e as Error).message.split('\n')[0] ?? '').replace(/\.$/, '')}`);
  }
  const adapter = new DirectCloudAdapter(auth);
  adapter.onTurnError = async (ctx, error) => {
    logger.error({ event: 'turn-error', error: describe(error), channel: ctx.activity.channelId }, 'the turn failed');
    try {
      await ctx.sendActivity({ type: 'message', text: 'Sorry, something went wrong while reading this message. Try again, or paste fewer lines.', textFormat: 'plain' });
    } catch (e) {
      logger.error({ event: 'turn-error-reply-failed', error: describe(e) }, 'could not send the error reply');
    }
  };

  return {
    anonymous: config.appId === '',
    async handle(authorization, activity, logic) {
      let authResult: AuthenticateRequestResult;
      const shape = config.appId ? tokenShapeProblem(authorization) : undefined;
      if (shape) {
        logger.warn({ event: 'auth-failed', status: 401, reason: shape, channel: activity.channelId }, 'request not authenticated');
        return { outcome: 'unauthorized' };
      }
      try {
        authResult = await withTimeout(auth.authenticateRequest(activity, authorization), config.authTimeoutMs);
      } catch (e) {
        const status = isAuthFailure(e) ? 401 : 503;
        logger.warn({ event: 'auth-failed', status, error: describe(e), channel: activity.channelId, hasAuthorization: authorization.length > 0 }, 'request not authenticated');
        return { outcome: status === 401 ? 'unauthorized' : 'unavailable' };
      }
      try {
        const invoke = await adapter.runAuthenticated(authResult, activity, logic);
        return { outcome: 'done', status: invoke?.status ?? 200, body: invoke?.body };
      } catch (e) {
        logger.error({ event: 'activity-failed', error: describe(e), channel: activity.channelId }, 'activity could not be processed');
        return { outcome: 'failed' };
      }
    },
  };
}

/**
 * The public cloud's settings with the channel's signing keys read from another address.
 * botbuilder uses its built-in public-cloud settings only when none is given, so replacing
 * one means giving them all (the values are botbuilder's own).
 */
function publicCloudWithKeysFrom(url: string): Record<string, string> {
  return {
    ToBotFromChannelOpenIdMetadataUrl: url,
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: 'urn:botframework:azure',
  };
}

/**
 * Refuses, without asking Microsoft's endpoints, a header that cannot be a Bot Framework
 * token: not "Bearer header.payload.signature", or signed with an algorithm other than
 * the RS256/384/512 the Bot Framework uses (such as "none").
 */
export function tokenShapeProblem(authorization: string): string | undefined {
  const m = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization.trim());
  if (!m) return authorization ? 'not a bearer token' : 'no Authorization header';
  let header: { alg?: unknown };
  try {
    header = JSON.parse(Buffer.from(m[1] as string, 'base64url').toString('utf8')) as { alg?: unknown };
  } catch {
    return 'token header is not JSON';
  }
  if (typeof header !== 'object' || header === null || !['RS256', 'RS384', 'RS512'].includes(String(header.alg))) return 'token is not RS-signed';
  return undefined;
}

/** AuthenticationError carries statusCode 401; anything else (network, DNS, time-out) means the endpoints were not reached. */
function isAuthFailure(e: unknown): boolean {
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  return status === 401 || status === 403;
}

class AuthTimeoutError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuthTimeoutError(`no answer from the identity endpoints within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** An error for the log: name, message and code; never the activity. */
export function describe(e: unknown): { name: string; message: string; code?: string } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    const cause = (e as { cause?: { code?: unknown } }).cause?.code;
    const c = typeof code === 'string' ? code : typeof cause === 'string' ? cause : undefined;
    return { name: e.name, message: e.message.slice(0, 500), ...(c ? { code: c } : {}) };
  }
  return { name: 'unknown', message: String(e).slice(0, 500) };
}
