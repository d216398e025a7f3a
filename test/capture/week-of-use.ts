/**
 * A made-up but realistic week of use, as the server would record it: each answer is the
 * outcome record of a real diagnosis (capture/outcome.ts) of a real-looking paste, the misses
 * of the last five days keep a redacted sample (the operator switched from CAPTURE=outcomes to
 * CAPTURE=redacted on day three) made by the server's redactor (capture/redact.ts), and some
 * answers get Helpful / Not helpful presses.
 *
 * The log lines are written for this example in the shape of the ConfigMgr client logs. Used by
 * test/capture/review.test.ts and to regenerate docs/review-example.md:
 *
 *   npx tsx test/capture/week-of-use.ts --top 4 > /tmp/review.txt     (add --json for the JSON)
 */
import type { LoadedKb } from '../../kb/load-kb';
import { outcomeRecord } from '../../capture/outcome';
import { redact } from '../../capture/redact';
import type { CaptureRecord, FeedbackRecord, SampleRecord } from '../../capture/records';
import { diagnoseText } from '../../matchers/diagnose';

export const WEEK_START = new Date('2026-11-25T00:00:00Z');
export const WEEK_END = new Date('2026-12-02T00:00:00Z');
/** From this day misses keep a redacted sample. */
const REDACTED_FROM = new Date('2026-11-27T00:00:00Z');

/** A CMTrace line, as the client logs write it. */
export function cmtrace(message: string, component: string, at: Date, type: 1 | 2 | 3, thread: number, file: string): string {
  const time = at.toISOString().slice(11, 23);
  const date = `${at.toISOString().slice(5, 7)}-${at.toISOString().slice(8, 10)}-${at.toISOString().slice(0, 4)}`;
  return `<![LOG[${message}]LOG]!><time="${time}+000" date="${date}" component="${component}" context="" type="${type}" thread="${thread}" file="${file}">`;
}

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(width, '0').slice(-width);
}

/** A GUID that varies with `seed`, so each paste has its own job ids. */
export function guid(seed: number): string {
  const a = Math.imul(seed + 1, 2654435761);
  const b = Math.imul(seed + 7, 40503);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(a >>> 4, 3)}-A${hex(b >>> 3, 3)}-${hex(a ^ b, 8)}${hex(seed, 4)}`;
}

/**
 * A Delivery Optimization download that never progresses: the DO job fails with
 * 0x80D02002 (DO_E_DOWNLOAD_NO_PROGRESS, "Download of a file saw no progress within the
 * defined period", https://learn.microsoft.com/windows/win32/delivery_optimization/do-return-values),
 * then CTM and CAS report the failure. Host and package vary per paste.
 */
export function deliveryOptimizationStall(seed: number, at: Date, host: string, pkg: string): string {
  const t = (s: number): Date => new Date(at.getTime() + s * 1000);
  const ctm = `{${guid(seed)}}`;
  const dts = `{${guid(seed + 100)}}`;
  return [
    cmtrace(`CTM job ${ctm} (corresponding DTS job ${dts}) started download from 'http://${host}/SMS_DP_SMSPKG$/${pkg}' for full content download.`, 'ContentTransferManager', t(0), 1, 4000 + seed, 'ctmjob.cpp:2240'),
    cmtrace(`DTSJob ${dts} in state 'DownloadingData'.`, 'DataTransferService', t(1), 1, 5000 + seed, 'dtsjob.cpp:411'),
    cmtrace(`DO job ${dts} failed with error 0x80D02002 for content ${pkg}.${(seed % 4) + 1}`, 'DataTransferService', t(601), 3, 5000 + seed, 'dtsdojob.cpp:918'),
    cmtrace(`CTM job ${ctm} failed to download content ${pkg}.${(seed % 4) + 1}. Error 0x80D02002`, 'ContentTransferManager', t(602), 3, 4000 + seed, 'ctmjob.cpp:2410'),
    '',
  ].join('\n');
}

/** A location request the management point turns down after a site move: not in the KB either. */
export function locationRequestRejected(seed: number, at: Date, pkg: string): string {
  const t = (s: number): Date => new Date(at.getTime() + s * 1000);
  const ctm = `{${guid(seed + 300)}}`;
  return [
    cmtrace(`Attempting to send Location Request for PackageID='${pkg}'`, 'ContentTransferManager', t(0), 1, 3100 + seed, 'ctmjob.cpp:1240'),
    cmtrace(`Location request for PackageID='${pkg}' was rejected by the management point: the site code in the request does not match the assigned site.`, 'ContentTransferManager', t(2), 3, 3100 + seed, 'ctmjob.cpp:1310'),
    cmtrace(`CTM job ${ctm} entered phase CCM_DOWNLOADSTATUS_DOWNLOAD_FAILED`, 'ContentTransferManager', t(3), 2, 3100 + seed, 'ctmjob.cpp:512'),
    '',
  ].join('\n');
}

/** What the server keeps of a miss with CAPTURE=redacted: the paste through the redactor. */
function sampleOf(id: string, at: Date, reason: SampleRecord['reason'], paste: string): SampleRecord {
  const { text, replaced, summary } = redact(paste);
  return { type: 'sample', id, at: at.toISOString(), reason, text, replaced, summary };
}

interface Ask {
  at: Date;
  channel: 'teams' | 'page' | 'cli';
  /** What the server diagnosed (the user's paste, unredacted: only its outcome is kept). */
  paste: string;
  /** The server keeps a redacted copy when the answer is a miss and capture is redacted. */
  sampled?: boolean;
  verdict?: 'helpful' | 'not-helpful';
}

/**
 * The records of the week, oldest first. Deterministic: the same KB gives the same records.
 */
export function weekOfUse(loaded: LoadedKb): CaptureRecord[] {
  const asks: Ask[] = [];
  const day = (d: number, h: number, m = 0): Date => new Date(WEEK_START.getTime() + ((d * 24 + h) * 60 + m) * 60_000);

  // Answers the KB knows: the first match example of twelve entries, pasted in working hours.
  const known = loaded.entries.filter((e) => e.front.examples.match.length > 0).slice(0, 12);
  known.forEach((entry, i) => {
    for (let k = 0; k < 2 + (i % 3); k++) {
      const text = (entry.front.examples.match[0] as { text: string }).text;
      // The third entry's answer is found but does not help the people who get it.
      const disliked = i === 2 && k > 0;
      asks.push({
        at: day((i + k * 3) % 7, 8 + ((i * 5 + k) % 9), (i * 13 + k * 7) % 60),
        channel: (['teams', 'page', 'teams', 'cli'] as const)[(i + k) % 4] as Ask['channel'],
        paste: text,
        sampled: disliked,
        verdict: disliked ? 'not-helpful' : k === 0 ? 'helpful' : undefined,
      });
    }
  });

  // Delivery Optimization stalls: seven pastes from different sites, none answered.
  const hosts = ['DP01.corp.contoso.com', 'dp-branch07.contoso.local', 'SCCMDP3.emea.contoso.com', 'DP01.corp.contoso.com', 'cmdp02.contoso.local', 'DP11.apac.contoso.com', 'DP01.corp.contoso.com'];
  const pkgs = ['PS100045', 'PS1000A3', 'C0100978', 'PS100045', 'PS100112', 'P0100021', 'PS100045'];
  hosts.forEach((host, i) => {
    const at = day(i, 9 + (i % 6), 17 + i);
    asks.push({
      at,
      channel: i % 2 === 0 ? 'teams' : 'page',
      paste: deliveryOptimizationStall(i, at, host, pkgs[i] as string),
      sampled: true,
      verdict: i === 4 || i === 6 ? 'not-helpful' : undefined,
    });
  });

  // Location requests rejected after a site move: three pastes, none answered.
  [2, 4, 5].forEach((d, i) => {
    const at = day(d, 14, 5 * i);
    const text = locationRequestRejected(i, at, ['PS100077', 'PS10007C', 'PS100081'][i] as string);
    asks.push({ at, channel: 'teams', paste: text, sampled: true });
  });

  // Questions in chat that search answers only weakly.
  const questions: [number, string, 'not-helpful' | undefined][] = [
    [3, 'why does peer cache not serve content to clients in the same boundary group', 'not-helpful'],
    [4, 'peer cache source not used, clients still download from the DP across the WAN link', 'not-helpful'],
    [6, 'how do i stop the client cache from filling up the C drive on kiosks', undefined],
  ];
  for (const [d, q, verdict] of questions) asks.push({ at: day(d, 11, 40), channel: 'teams', paste: q, sampled: true, verdict });

  // A bare code the KB only half knows, asked before and after the switch to redacted samples.
  for (const d of [0, 1, 5]) asks.push({ at: day(d, 16, 2), channel: 'cli', paste: '0x80D02002', sampled: true });

  asks.sort((a, b) => a.at.getTime() - b.at.getTime());
  const records: CaptureRecord[] = [];
  asks.forEach((ask, i) => {
    const id = hex(Math.imul(i + 11, 2246822519), 8).toLowerCase() + hex(Math.imul(i + 3, 3266489917), 8).toLowerCase();
    const started = performance.now();
    const diagnosis = diagnoseText(ask.paste, loaded.kb);
    const outcome = outcomeRecord({ id, at: ask.at, channel: ask.channel, diagnosis, latencyMs: 3 + ((i * 7) % 40) + (performance.now() - started) * 0, cut: false });
    records.push(outcome);
    const miss = outcome.outcome === 'none' || outcome.outcome === 'low' || ask.verdict === 'not-helpful';
    if (miss && ask.sampled === true && ask.at >= REDACTED_FROM) {
      const reason: SampleRecord['reason'] = ask.verdict === 'not-helpful' ? 'not-helpful' : outcome.outcome === 'low' ? 'low' : 'none';
      records.push(sampleOf(id, new Date(ask.at.getTime() + 20), reason, ask.paste));
    }
    if (ask.verdict !== undefined) {
      const fb: FeedbackRecord = { type: 'feedback', id, at: new Date(ask.at.getTime() + 95_000).toISOString(), channel: ask.channel, verdict: ask.verdict, entry: outcome.entries[0] ?? null, family: outcome.family };
      records.push(fb);
    }
  });
  return records.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

// Run directly: print the review of the week as `npm run kb:review` would.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { loadKbFromDir } = await import('../../kb/load-kb');
  const { buildReview } = await import('../../capture/review');
  const { renderReviewText } = await import('../../capture/review-text');
  const loaded = loadKbFromDir();
  const json = process.argv.includes('--json');
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 5;
  const review = await buildReview(weekOfUse(loaded), loaded.kb, { since: new Date(WEEK_END.getTime() - 7 * 86_400_000), now: WEEK_END, top });
  process.stdout.write(json ? `${JSON.stringify(review, null, 2)}\n` : renderReviewText(review));
}
