/**
 * `npm start`: loads `.env` when there is one, loads and checks the KB once, starts the
 * server, and stops cleanly on SIGTERM/SIGINT. A KB that fails its check stops the start
 * with the file and line at fault.
 */
import { existsSync } from 'node:fs';
import { openKnowledgeBase } from '../kb/open-kb';
import { KbLoadError } from '../kb/problem';
import { ConfigError, readConfig } from './config';
import { createLogger } from './logger';

// restify loads spdy's http-deceiver, which reads process.binding('http_parser') and
// makes Node print DEP0111 at every start. That one known warning is not ours to fix and
// is dropped; every other warning is printed as Node would.
process.removeAllListeners('warning');
process.on('warning', (w: Error & { code?: string }) => {
  if (w.code !== 'DEP0111') process.stderr.write(`(node) ${w.name}${w.code ? ` [${w.code}]` : ''}: ${w.message}\n`);
});
const { startServer } = await import('./server');

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = readConfig(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`support-kb-bot: ${e.message}; fix it in the environment or in .env (see .env.example).\n`);
    return 2;
  }
  const logger = createLogger(config);
  let loaded;
  try {
    const notice = (message: string): void => { process.stderr.write(`support-kb-bot: ${message}.\n`); };
    loaded = config.kbDir ? await openKnowledgeBase(config.kbDir, { notice }) : await openKnowledgeBase(undefined, { notice });
  } catch (e) {
    if (!(e instanceof KbLoadError)) throw e;
    process.stderr.write(`${e.message}\nRun npm run kb:check for the full list.\n`);
    return 2;
  }
  let server;
  try {
    server = await startServer({ loaded, logger });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof ConfigError) process.stderr.write(`support-kb-bot: ${e.message}; fix it in the environment or in .env (see .env.example).\n`);
    else if (code === 'EADDRINUSE') process.stderr.write(`support-kb-bot: port ${config.port} is in use; stop the other program or set PORT.\n`);
    else if (code === 'EACCES') process.stderr.write(`support-kb-bot: not allowed to listen on ${config.host}:${config.port}; choose a PORT above 1023.\n`);
    else throw e;
    return 2;
  }
  logger.info({ event: 'started', url: server.url, port: server.port, entries: loaded.stats.entries, codes: loaded.stats.codes, indexBuildMs: Math.round(loaded.stats.indexBuildMs) }, 'support-kb-bot is listening');
  if (server.anonymous) {
    logger.info({ event: 'mode', mode: 'anonymous' }, `local anonymous mode: no MicrosoftAppId is set, so requests are not authenticated. Connect the Bot Framework Emulator to ${server.url}/api/messages (leave the app ID and password empty).`);
  } else {
    logger.info({ event: 'mode', mode: 'authenticated' }, 'MicrosoftAppId is set: every request to /api/messages must carry a valid Bot Framework token');
  }
  if (server.config.webUi) logger.info({ event: 'web-ui' }, `web page: open ${server.url}/ to paste a log`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'stopping', signal }, 'finishing open requests, then stopping');
    server.close().then(
      () => {
        logger.info({ event: 'stopped' }, 'stopped');
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ event: 'stop-failed', message: (e as Error).message }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`support-kb-bot: could not start: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
