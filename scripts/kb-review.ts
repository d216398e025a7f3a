/**
 * `npm run kb:review`: the KB authors' review queue. Reads what the bot kept about its use
 * (the store the capture settings name: CAPTURE_STORE, DATA_DIR, ...), groups the answers that
 * did not help by what their pastes share, and prints, most frequent first, each kind of miss
 * with redacted sample lines, the KB entries nearest to it and a kb:new draft; then how each
 * entry shown fared (helpful, not helpful, questions asked about it).
 *
 *   npm run kb:review                      the last 7 days, as text
 *   npm run kb:review -- --since 30d --top 5
 *   npm run kb:review -- --json > review.json
 *
 * Exit status: 0 done (also when nothing was captured), 1 the store or the KB could not be
 * read, 2 bad arguments or settings.
 */
import { readBaselineTexts } from '../kb/check/run-check';
import { openKnowledgeBase } from '../kb/open-kb';
import { errorText } from '../capture/queue';
import type { CaptureSettings, CaptureStore } from '../capture/records';
import { buildReview } from '../capture/review';
import { renderReviewText } from '../capture/review-text';
import { readCaptureSettings } from '../capture/settings.js';
import { openCaptureStore } from '../capture/store.js';

const USAGE = `usage: npm run kb:review -- [--since 7d] [--top N] [--json]
  Groups the bot's misses (nothing found, a weak hint, or "Not helpful") by what their pastes
  share and prints each kind with redacted samples, the nearest KB entries and a kb:new draft,
  then how each entry shown fared.
  --since WHEN  the window: 24h, 7d (default), 30d, any number of h or d, or a date (2026-03-01)
  --top N       show the N most frequent kinds of miss (default 10)
  --json        print the review as JSON: {"groups": [...], "entries": [...], ...}
  Reads the store the server writes to: CAPTURE_STORE, DATA_DIR, AZURE_STORAGE_CONNECTION_STRING,
  CAPTURE_CONTAINER (see README.md).
`;

class UsageError extends Error {}

interface Args {
  since: Date;
  sinceText: string;
  top: number;
  json: boolean;
}

/** `7d`, `24h`, `30d`, or an ISO date/time; relative to `now`. */
export function parseSince(value: string, now: Date): Date {
  const rel = /^(\d{1,4})([hd])$/.exec(value);
  if (rel) {
    const n = Number(rel[1]);
    if (n === 0) throw new UsageError(`--since ${value} is an empty window: use at least 1${rel[2]}`);
    return new Date(now.getTime() - n * (rel[2] === 'h' ? 3_600_000 : 86_400_000));
  }
  if (/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const t = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(t)) throw new UsageError(`--since ${value} is not a real date: write it as 2026-03-01`);
    if (t > now.getTime()) throw new UsageError(`--since ${value} is in the future: nothing could have been captured after it`);
    return new Date(t);
  }
  throw new UsageError(`--since "${value}" is not a window: write 24h, 7d, 30d or a date such as 2026-03-01`);
}

function parseArgs(argv: readonly string[], now: Date): Args | 'help' {
  const args: Args = { since: parseSince('7d', now), sinceText: '7d', top: 10, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return 'help';
    else if (a === '--json') args.json = true;
    else if (a === '--since') {
      args.sinceText = value();
      args.since = parseSince(args.sinceText, now);
    } else if (a === '--top') {
      const v = value();
      if (!/^\d{1,4}$/.test(v) || Number(v) < 1) throw new UsageError(`--top "${v}" must be a whole number from 1 to 9999`);
      args.top = Number(v);
    } else if (a === '--') continue;
    else throw new UsageError(`unknown argument ${a}`);
  }
  return args;
}

/** Healthy and other products' logs, so that drafts do not propose a line they also contain (as kb:new does). */
function baselineTexts(): string[] {
  try {
    return readBaselineTexts();
  } catch {
    return [];
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const now = new Date();
  let args: Args | 'help';
  try {
    args = parseArgs(argv, now);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`kb:review: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  let settings: CaptureSettings;
  let store: CaptureStore;
  try {
    settings = readCaptureSettings(process.env);
    store = openCaptureStore(settings);
  } catch (e) {
    process.stderr.write(`kb:review: ${(e as Error).message}\n`);
    return 2;
  }

  try {
    const loaded = await openKnowledgeBase(undefined, { notice: (m) => process.stderr.write(`kb:review: ${m}\n`) });
    let review;
    try {
      review = await buildReview(store.read({ since: args.since }), loaded.kb, { since: args.since, now, top: args.top, avoid: baselineTexts() });
    } catch (e) {
      process.stderr.write(`kb:review: could not read ${store.describe}: ${errorText(e)}\nCheck that the store is reachable and that this account may read it, then run the command again.\n`);
      return 1;
    }
    if (review.records === 0) {
      const off = settings.mode === 'off' ? ' (CAPTURE is off now)' : '';
      process.stderr.write(`kb:review: nothing captured yet: set CAPTURE=outcomes or redacted on the server${off} and use the bot; ` +
        `CAPTURE=redacted also keeps a redacted copy of each miss, which gives drafts. Looked in ${store.describe} since ${args.since.toISOString().slice(0, 16)}Z (--since ${args.sinceText}).\n`);
      if (args.json) process.stdout.write(`${JSON.stringify(review, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(args.json ? `${JSON.stringify(review, null, 2)}\n` : renderReviewText(review));
    return 0;
  } finally {
    await store.close().catch(() => undefined);
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (e: unknown) => {
  process.stderr.write(`kb:review: ${(e as Error).message ?? String(e)}\n`);
  process.exitCode = 1;
});
