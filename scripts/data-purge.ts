/**
 * `npm run data:purge`: deletes the capture records of the store the settings name (the same
 * environment variables as the server: CAPTURE_STORE, DATA_DIR, AZURE_STORAGE_CONNECTION_STRING,
 * CAPTURE_CONTAINER, CAPTURE_RETENTION_DAYS), and says what it deleted.
 *
 *   npm run data:purge                 everything
 *   npm run data:purge -- --expired    only the days past CAPTURE_RETENTION_DAYS
 *
 * It purges even with CAPTURE=off: an operator who turns capture off usually wants the data
 * gone too. Exit status: 0 done, 1 the store could not be purged, 2 bad arguments or settings.
 */
import { errorText } from '../capture/queue';
import { readCaptureSettings } from '../capture/settings';
import { openCaptureStore } from '../capture/store';

const USAGE = 'usage: npm run data:purge [-- --expired]\n  deletes every capture record, or with --expired only the days past CAPTURE_RETENTION_DAYS\n';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const unknown = args.filter((a) => a !== '--expired');
if (unknown.length > 0) {
  process.stderr.write(`data:purge: unknown argument ${unknown.map((a) => `"${a}"`).join(', ')}\n${USAGE}`);
  process.exit(2);
}
const expiredOnly = args.includes('--expired');

let store;
let settings;
try {
  settings = readCaptureSettings();
  store = openCaptureStore(settings);
} catch (e) {
  process.stderr.write(`data:purge: ${(e as Error).message}\n`);
  process.exit(2);
}

const unit = settings.store === 'azure-blob' ? 'day blobs' : 'day files';
try {
  const deleted = expiredOnly ? await store.purgeExpired(new Date()) : await store.purgeAll();
  const what = expiredOnly ? `${unit} older than ${settings.retentionDays} days` : unit;
  process.stdout.write(`deleted ${deleted} ${what} from ${store.describe}\n`);
  await store.close();
  process.exit(0);
} catch (e) {
  process.stderr.write(`data:purge: could not purge ${store.describe}: ${errorText(e)}\nCheck that the store is reachable and that this account may delete in it, then run the command again.\n`);
  process.exit(1);
}
