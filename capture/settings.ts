import { resolve } from 'node:path';
import type { CaptureMode, CaptureSettings } from './records';

const MODES: readonly CaptureMode[] = ['off', 'outcomes', 'redacted'];
const STORES: readonly CaptureSettings['store'][] = ['files', 'azure-blob'];

/**
 * The capture settings, read from the environment in one place. Every bad value throws an
 * Error whose message names the variable, what it was set to and what it accepts, because
 * the server prints that message and exits: the operator should be able to fix the setting
 * from that one line. The connection string is the exception: it holds an account key, so
 * its value is never repeated in a message.
 */
export function readCaptureSettings(env: NodeJS.ProcessEnv = process.env): CaptureSettings {
  const mode = choice(env, 'CAPTURE', MODES, 'outcomes');
  const store = choice(env, 'CAPTURE_STORE', STORES, 'files');
  const dataDir = resolve(value(env, 'DATA_DIR') || 'data');
  const retentionDays = retention(env);
  const container = containerName(env);
  const connection = value(env, 'AZURE_STORAGE_CONNECTION_STRING');
  if (connection) checkConnectionString(connection);
  // With CAPTURE=off nothing is written, so a missing connection string does not stop the
  // server; `npm run data:purge` still needs it and says so when it opens the store.
  if (store === 'azure-blob' && mode !== 'off' && !connection) {
    throw new Error(
      'AZURE_STORAGE_CONNECTION_STRING is not set, but CAPTURE_STORE is "azure-blob": set it to the storage account\'s connection string ' +
        '(Azure portal > storage account > Access keys), or set CAPTURE_STORE=files, or CAPTURE=off',
    );
  }
  return {
    mode,
    store,
    dataDir,
    retentionDays,
    ...(connection ? { azureConnectionString: connection } : {}),
    container,
  };
}

function value(env: NodeJS.ProcessEnv, name: string): string {
  return (env[name] ?? '').trim();
}

function choice<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = value(env, name);
  if (raw === '') return fallback;
  const lower = raw.toLowerCase();
  const found = allowed.find((a) => a === lower);
  if (found) return found;
  throw new Error(`${name} must be one of ${allowed.join(', ')} (got "${raw}"); leave it unset for ${fallback}`);
}

function retention(env: NodeJS.ProcessEnv): number {
  const raw = value(env, 'CAPTURE_RETENTION_DAYS');
  if (raw === '') return 30;
  const days = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new Error(`CAPTURE_RETENTION_DAYS must be a whole number of days, 1 or more (got "${raw}"); leave it unset for 30`);
  }
  return days;
}

/** Azure's container naming rules, checked here so that the error comes at start, not at the first write. */
function containerName(env: NodeJS.ProcessEnv): string {
  const raw = value(env, 'CAPTURE_CONTAINER');
  if (raw === '') return 'support-kb-bot';
  if (raw.length < 3 || raw.length > 63 || !/^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(raw)) {
    throw new Error(
      `CAPTURE_CONTAINER must be an Azure container name: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit (got "${raw}"); leave it unset for support-kb-bot`,
    );
  }
  return raw;
}

/** A shape check only (the service is the judge of the key); the value itself is never echoed. */
function checkConnectionString(connection: string): void {
  const keys = new Set(
    connection
      .split(';')
      .map((part) => part.split('=')[0]?.trim().toLowerCase() ?? '')
      .filter(Boolean),
  );
  const usable = keys.has('usedevelopmentstorage') || keys.has('accountname') || keys.has('blobendpoint');
  if (!usable) {
    throw new Error(
      'AZURE_STORAGE_CONNECTION_STRING does not look like a storage connection string (value not shown: it holds a key); ' +
        'it should read "DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net" or hold a BlobEndpoint and a SharedAccessSignature',
    );
  }
}
