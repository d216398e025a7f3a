import { pino, type DestinationStream, type Logger } from 'pino';
import type { BotConfig } from './config';

/**
 * Structured JSON logs (one object per line, on standard output). Pasted text never goes
 * into them by default: logs record ids, counts and timings. Authorization headers are
 * redacted in case a request object is ever logged.
 */
export function createLogger(config: Pick<BotConfig, 'logLevel' | 'logPastedText'>, destination?: DestinationStream): Logger {
  const level = config.logPastedText && !['trace', 'debug'].includes(config.logLevel) ? 'debug' : config.logLevel;
  const options = {
    level,
    base: { service: 'support-kb-bot' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
