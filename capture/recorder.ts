import { randomBytes } from 'node:crypto';
import type { Diagnosis } from '../matchers/types';
import { outcomeRecord } from './outcome';
import { CaptureQueue } from './queue';
import type { Channel, CaptureSettings, CaptureStore, FeedbackRecord, SampleReason, SampleRecord } from './records';
import { isOutcomeId, SAMPLE_MAX_CHARS } from './records';
import { redact } from './redact';
import { openCaptureStore } from './store';

/** The little of a logger the recorder needs (pino's methods fit). */
export interface RecorderLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RecorderOptions {
  logger: RecorderLogger;
  /** Content hash of the KB, written on every outcome. */
  kbHash?: string;
  /** A store to use instead of the one the settings name (tests). */
  store?: CaptureStore;
  now?: () => Date;
}

/** How long the redacted text of a reply is held in memory for a later "Not helpful". */
const PENDING_MS = 30 * 60_000;
const PENDING_MAX = 500;

/**
 * What the server keeps about its use, per `CAPTURE`: nothing (`off`), outcome and feedback
 * records (`outcomes`), or also a redacted copy of the pastes it missed (`redacted`). The
 * reply never waits: records go through a bounded queue to the store, and redaction runs
 * after the reply has been sent (`setImmediate`). The text of a paste is never stored as it
 * came; with `redacted`, the redacted copy of a reply that did answer is held in memory for
 * 30 minutes, so that a "Not helpful" press on it can keep the sample, and then dropped.
 */
export class UsageRecorder {
  readonly mode: CaptureSettings['mode'];
  private readonly queue: CaptureQueue | undefined;
  private readonly store: CaptureStore | undefined;
  private readonly pending = new Map<string, { at: number; sample: SampleRecord }>();
  private readonly now: () => Date;
  private lastPing: { at: number; ok: boolean } | undefined;

  constructor(readonly settings: CaptureSettings, private readonly options: RecorderOptions) {
    this.mode = settings.mode;
    this.now = options.now ?? (() => new Date());
    if (settings.mode === 'off') return;
    this.store = options.store ?? openCaptureStore(settings);
    this.queue = new CaptureQueue(this.store, { logger: options.logger });
  }

  /** A fresh outcome id, carried by the reply's buttons. */
  newId(): string {
    return randomBytes(8).toString('hex');
  }

  /** Records a diagnosis that was answered; `text` is what it read (used only with `redacted`). */
  diagnosed(input: { id: string; channel: Channel; diagnosis: Diagnosis; latencyMs: number; cut: boolean; text: string }): void {
    if (!this.queue) return;
    const at = this.now();
    const record = outcomeRecord({ id: input.id, at, channel: input.channel, diagnosis: input.diagnosis, latencyMs: input.latencyMs, cut: input.cut, ...(this.options.kbHash ? { kbHash: this.options.kbHash } : {}) });
    this.queue.push(record);
    if (this.mode !== 'redacted') return;
    const text = input.text;
    const reason: SampleReason | undefined = record.outcome === 'none' ? 'none' : record.outcome === 'low' ? 'low' : undefined;
    // Redaction costs CPU in proportion to the paste: it runs after the reply is on its way.
    setImmediate(() => {
      try {
        if (reason) this.queue?.push(this.sample(input.id, reason, text, at));
        else this.hold(input.id, text);
      } catch (e) {
        this.options.logger.warn({ event: 'capture-redaction-failed', error: (e as Error).name }, 'a sample was not kept: redaction failed');
      }
    });
  }

  /** Records a feedback press; with `redacted`, "Not helpful" also keeps the redacted paste. */
  feedback(input: { id: string | undefined; channel: Channel; verdict: FeedbackRecord['verdict']; entry: string | null; family?: string | null }): void {
    if (!this.queue || !isOutcomeId(input.id)) return;
    const at = this.now();
    this.queue.push({ type: 'feedback', id: input.id, at: at.toISOString(), channel: input.channel, verdict: input.verdict, entry: input.entry, ...(input.family !== undefined ? { family: input.family } : {}) });
    if (input.verdict !== 'not-helpful') return;
    const held = this.pending.get(input.id);
    if (!held) return;
    this.pending.delete(input.id);
    this.queue.push({ ...held.sample, at: at.toISOString() });
  }

  /** For `/healthz`: the mode, where records go, and whether that answers (cached 10 s). */
  async health(): Promise<{ mode: string; store?: string; reachable?: boolean; queued?: number; dropped?: number }> {
    if (!this.store || !this.queue) return { mode: this.mode };
    const t = Date.now();
    if (!this.lastPing || t - this.lastPing.at > 10_000) this.lastPing = { at: t, ok: await this.store.ping() };
    const s = this.queue.stats();
    return { mode: this.mode, store: this.store.describe, reachable: this.lastPing.ok, queued: s.queued, dropped: s.dropped };
  }

  /** Queue counters for `/metrics` (zeros when capture is off). */
  stats(): { queued: number; written: number; dropped: number; failures: number } {
    return this.queue?.stats() ?? { queued: 0, written: 0, dropped: 0, failures: 0 };
  }

  async flush(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.queue?.flush();
  }

  async close(): Promise<void> {
    this.pending.clear();
    if (this.queue) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.queue.close();
    }
  }

  private sample(id: string, reason: SampleReason, text: string, at: Date): SampleRecord {
    // Cut at a line end, so that no half of a host name or address escapes its pattern.
    const limit = SAMPLE_MAX_CHARS * 2;
    const head = text.length > limit ? text.slice(0, Math.max(0, text.lastIndexOf('\n', limit))) : text;
    const r = redact(head);
    const kept = r.text.length > SAMPLE_MAX_CHARS ? r.text.slice(0, SAMPLE_MAX_CHARS) + '\n[cut]' : r.text;
    return { type: 'sample', id, at: at.toISOString(), reason, text: kept, replaced: r.replaced, summary: r.summary };
  }

  private hold(id: string, text: string): void {
    const t = Date.now();
    for (const [k, v] of this.pending) {
      if (t - v.at < PENDING_MS && this.pending.size < PENDING_MAX) break;
      this.pending.delete(k);
    }
    this.pending.set(id, { at: t, sample: this.sample(id, 'not-helpful', text, this.now()) });
  }
}
