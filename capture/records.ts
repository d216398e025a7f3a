/**
 * What the bot keeps about its use, and nothing more. These records are the contract between
 * the server (which writes them), the stores (which keep them) and `npm run kb:review` (which
 * reads them). None of them holds paste text, except a `SampleRecord`, which exists only when
 * the operator sets `CAPTURE=redacted` and whose text has been through `redact()` first.
 */

/** How a reply answered: the best match's confidence, a symptom family's answer, or nothing. */
export type Outcome = 'high' | 'medium' | 'low' | 'symptom' | 'none';

/** Where the question came from. */
export type Channel = 'teams' | 'page' | 'cli';

/** One diagnosis the server answered. Structural facts only: no text of the paste. */
export interface OutcomeRecord {
  type: 'outcome';
  /** Random id (16 hex characters) that the card's feedback and follow-up actions carry. */
  id: string;
  /** ISO 8601 time in UTC. */
  at: string;
  channel: Channel;
  outcome: Outcome;
  /** Entry ids shown, best first. */
  entries: string[];
  /** Symptom family answered, if any. */
  family: string | null;
  /** Decoded codes, normalised `0x8xxxxxxx`. */
  codes: string[];
  /** HTTP statuses seen, as `404` or `404.7`. */
  statuses: string[];
  /** File extensions seen in paths, lower case with the dot (`.mdb`). */
  extensions: string[];
  /** Hidden segments (`bin`, `App_Data` ...) seen in paths. */
  hiddenSegments: string[];
  /** Log formats recognised (`cmtrace`, `iis`, `bitsadmin`, `text` ...). */
  formats: string[];
  lines: number;
  latencyMs: number;
  /** The diagnosis stopped early (time budget or caps). */
  partial: boolean;
  /** The paste was cut before diagnosis (too many lines or bytes). */
  cut: boolean;
  /** Content hash of the KB that answered, so a review can tell old answers from new. */
  kbHash?: string;
  /** True when the paste read as a question in prose rather than as log lines. */
  prose?: boolean;
}

/** A "Helpful" / "Not helpful" press, or a follow-up answer, joined to its outcome by `id`. */
export interface FeedbackRecord {
  type: 'feedback';
  /** The `OutcomeRecord.id` of the reply the button was on. */
  id: string;
  at: string;
  channel: Channel;
  verdict: 'helpful' | 'not-helpful' | 'followup';
  /** The entry the card was about (the top match), if any. */
  entry: string | null;
  family?: string | null;
}

/** Why a redacted copy of a paste was kept. */
export type SampleReason = 'none' | 'low' | 'not-helpful';

/** A redacted copy of a paste, kept only with `CAPTURE=redacted` and only for misses. */
export interface SampleRecord {
  type: 'sample';
  /** The `OutcomeRecord.id` it belongs to. */
  id: string;
  at: string;
  reason: SampleReason;
  /** The paste after `redact()`; at most `SAMPLE_MAX_CHARS` characters. */
  text: string;
  /** What was replaced, by kind: `{ host: 3, address: 2, user: 1 }`. */
  replaced: Record<string, number>;
  /** The same in words: "3 hosts, 2 addresses, 1 user". */
  summary: string;
}

export type CaptureRecord = OutcomeRecord | FeedbackRecord | SampleRecord;

/** Whether a value is an outcome id as `UsageRecorder.newId` makes them (from a button, so checked). */
export function isOutcomeId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{16}$/.test(value);
}

/** The longest redacted sample kept (characters); a longer paste is cut and says so. */
export const SAMPLE_MAX_CHARS = 8_000;

/** `CAPTURE`: what is kept. */
export type CaptureMode = 'off' | 'outcomes' | 'redacted';

export interface CaptureSettings {
  mode: CaptureMode;
  /** `CAPTURE_STORE`: `files` (default, under `dataDir`) or `azure-blob`. */
  store: 'files' | 'azure-blob';
  /** `DATA_DIR`, default `data` in the working directory. */
  dataDir: string;
  /** `CAPTURE_RETENTION_DAYS`, default 30. */
  retentionDays: number;
  /** `AZURE_STORAGE_CONNECTION_STRING` (only with `store: 'azure-blob'`). */
  azureConnectionString?: string;
  /** `CAPTURE_CONTAINER`, default `support-kb-bot`. */
  container: string;
}

/** Where records go and come back from. Implementations: files (JSON Lines by day), Azure Blob. */
export interface CaptureStore {
  /** A short description for logs and `/healthz` (`files:/srv/data`, `azure-blob:container`). */
  readonly describe: string;
  /** Append records; resolves when they are durable. Rejects when the store is unreachable. */
  append(records: readonly CaptureRecord[]): Promise<void>;
  /** Records at or after `since`, oldest day first. */
  read(options?: { since?: Date }): AsyncIterable<CaptureRecord>;
  /** Delete days older than `retentionDays`; returns how many day files/blobs were deleted. */
  purgeExpired(now?: Date): Promise<number>;
  /** Delete everything; returns how many day files/blobs were deleted. */
  purgeAll(): Promise<number>;
  /** Whether the store answers now (for `/healthz`); never throws. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
