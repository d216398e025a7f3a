import type { CaptureRecord, CaptureStore } from './records';

/** The little of a logger the queue needs; pino's `info` and `warn` fit. */
export interface CaptureLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface CaptureQueueOptions {
  /** Records held in memory, waiting or being written; newer ones are dropped beyond it (default 1000). */
  maxRecords?: number;
  logger?: CaptureLogger;
  /** How long records gather before a write (default 2 s): one write, one block per batch. */
  flushIntervalMs?: number;
  /** Most records per `append` (default 500); a full batch is written without waiting. */
  batchSize?: number;
  /** A write that has not settled by then is given up (default 30 s), so a hung store cannot stall the queue for ever. */
  writeTimeoutMs?: number;
  /** Longest wait between two tries while the store fails (default 60 s). */
  maxBackoffMs?: number;
  /** Time between two retention purges (default 24 h); 0 turns the retention timer off. */
  retentionIntervalMs?: number;
}

export interface CaptureQueueStats {
  /** Records in memory: waiting, or in the write under way. */
  queued: number;
  /** Records the store accepted. */
  written: number;
  /** Records lost: pushed while the queue was full or closed, or in a write that timed out or could never succeed. */
  dropped: number;
  /** Writes the store rejected or did not finish in time. */
  failures: number;
  /** Day files or blobs deleted by the retention timer. */
  purged: number;
}

const DAY_MS = 86_400_000;

/**
 * Between the server and the store. A reply must never wait on the store or fail because of
 * it, so `push()` only puts the record in memory and returns: it never throws and never
 * awaits. Records are written in batches in the background. When the store is down or slow,
 * records wait in memory up to `maxRecords` and newer ones are dropped and counted: capture
 * is a help to the KB's maintainers, not worth the server's memory or its replies.
 *
 * Delivery is at least once: a batch the store rejected is tried again, and a store that
 * failed part-way through a batch may then hold some of its records twice (each record
 * carries its `id`, so a reader can tell). A write that times out is not tried again, and its
 * records count as dropped, because they may still arrive.
 *
 * A failure is logged once per outage, with the store's description and the error, never a
 * record's contents; the recovery is logged once too, with what was dropped meanwhile.
 *
 * The queue also runs retention: `purgeExpired` once at start and then every 24 hours, on a
 * timer that does not keep the process alive. `close()` stops it, writes what is left and
 * closes the store: the queue owns the store it was given.
 */
export class CaptureQueue {
  private readonly maxRecords: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly writeTimeoutMs: number;
  private readonly maxBackoffMs: number;
  private readonly logger: CaptureLogger;
  private pending: CaptureRecord[] = [];
  private inFlight = 0;
  private written = 0;
  private dropped = 0;
  private failures = 0;
  /** Failures in a row, for the backoff; 0 when the last write succeeded. */
  private streak = 0;
  /** An outage (failed writes) or an overflow (drops) has been logged, and its end has not. */
  private logged = { failing: false, full: false };
  private droppedAtTroubleStart = 0;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private drainAll = false;
  private closed = false;
  private readonly retention: Retention | undefined;

  constructor(
    private readonly store: CaptureStore,
    options: CaptureQueueOptions = {},
  ) {
    this.maxRecords = Math.max(1, options.maxRecords ?? 1000);
    this.batchSize = Math.max(1, options.batchSize ?? 500);
    this.flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 2_000);
    this.writeTimeoutMs = Math.max(1, options.writeTimeoutMs ?? 30_000);
    this.maxBackoffMs = Math.max(this.flushIntervalMs, options.maxBackoffMs ?? 60_000);
    this.logger = options.logger ?? stderrLogger;
    const interval = options.retentionIntervalMs ?? DAY_MS;
    if (interval > 0) this.retention = startRetention(store, { logger: this.logger, intervalMs: interval });
  }

  /** Queues a record for the store. Returns at once; never throws, whatever the store is doing. */
  push(record: CaptureRecord): void {
    try {
      if (this.closed || this.pending.length + this.inFlight >= this.maxRecords) {
        this.drop(1, this.closed ? 'closed' : 'full');
        return;
      }
      this.pending.push(record);
      // A full batch goes now rather than at the end of the interval (but not during a backoff).
      if (this.pending.length >= this.batchSize && this.streak === 0 && !this.writing) this.clearTimer();
      this.schedule();
    } catch {
      // Nothing that goes wrong here may reach the caller: the record is lost and counted.
      this.dropped++;
    }
  }

  stats(): CaptureQueueStats {
    return {
      queued: this.pending.length + this.inFlight,
      written: this.written,
      dropped: this.dropped,
      failures: this.failures,
      purged: this.retention?.purged() ?? 0,
    };
  }

  /**
   * Writes everything queued now, in batches, and resolves when the store has accepted it
   * or a write has failed (what failed stays queued for the next try). Never rejects.
   */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.writing) await this.writing;
    this.clearTimer();
    this.drainAll = true;
    try {
      await this.drain();
    } finally {
      this.drainAll = false;
      this.schedule();
    }
  }

  /** For shutdown: stops the timers, writes what is queued (one try), then closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.retention?.stop();
    await this.flush();
    this.clearTimer();
    try {
      await this.store.close();
    } catch (e) {
      this.logger.warn({ event: 'capture-store-close-failed', store: this.store.describe, error: errorText(e) }, 'the capture store did not close cleanly');
    }
  }

  private schedule(): void {
    if (this.timer || this.writing || this.pending.length === 0) return;
    if (this.closed && !this.drainAll) return;
    const delay = this.streak > 0 ? Math.min(this.flushIntervalMs * 2 ** (this.streak - 1), this.maxBackoffMs) : this.pending.length >= this.batchSize ? 0 : this.flushIntervalMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, Math.max(delay, 1));
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The one writer: batches until the queue is empty (or below a batch, between timer ticks) or a write fails. */
  private drain(): Promise<void> {
    this.writing ??= (async () => {
      try {
        while (this.pending.length > 0) {
          if (!(await this.writeBatch())) break;
          if (!this.drainAll && this.pending.length < this.batchSize) break;
        }
      } finally {
        this.writing = undefined;
        if (!this.drainAll) this.schedule();
      }
    })();
    return this.writing;
  }

  private async writeBatch(): Promise<boolean> {
    const batch = this.pending.splice(0, this.batchSize);
    this.inFlight = batch.length;
    const outcome = await settleWithin(() => this.store.append(batch), this.writeTimeoutMs);
    this.inFlight = 0;
    if (outcome.ok) {
      this.written += batch.length;
      this.streak = 0;
      if ((this.logged.failing || this.logged.full) && this.pending.length < this.maxRecords) {
        this.logged = { failing: false, full: false };
        this.logger.info(
          { event: 'capture-store-recovered', store: this.store.describe, droppedMeanwhile: this.dropped - this.droppedAtTroubleStart },
          'capture records are being written again',
        );
      }
      return true;
    }
    this.failures++;
    this.streak++;
    const permanent = outcome.timedOut || outcome.error instanceof RangeError;
    this.trouble('failing', {
      event: 'capture-store-failed',
      store: this.store.describe,
      error: outcome.timedOut ? `no answer within ${this.writeTimeoutMs} ms` : errorText(outcome.error),
      queued: this.pending.length + (permanent ? 0 : batch.length),
      maxRecords: this.maxRecords,
    });
    if (permanent) this.dropped += batch.length;
    else this.pending.unshift(...batch);
    return false;
  }

  private drop(count: number, why: 'full' | 'closed'): void {
    if (why === 'full') this.trouble('full', { event: 'capture-queue-full', store: this.store.describe, maxRecords: this.maxRecords });
    this.dropped += count;
  }

  /**
   * Logs the first failed write and the first dropped record of an episode, once each; the
   * rest of the episode only counts. The episode ends with the next successful write.
   */
  private trouble(kind: 'failing' | 'full', details: Record<string, unknown>): void {
    if (this.logged[kind]) return;
    if (!this.logged.failing && !this.logged.full) this.droppedAtTroubleStart = this.dropped;
    this.logged[kind] = true;
    const where = this.store.describe;
    this.logger.warn(
      details,
      kind === 'full'
        ? `capture records are being dropped: ${this.maxRecords} already wait in memory for ${where}, which is down or not keeping up`
        : `${where} did not accept capture records; they wait in memory (at most ${this.maxRecords}, newer ones are dropped) and the write is tried again. Check that it is reachable and writable`,
    );
  }
}

interface Retention {
  stop(): void;
  purged(): number;
}

/**
 * Deletes what is past retention once now (in the background) and then every `intervalMs`.
 * The timer is unref'd: retention never keeps a process alive on its own.
 */
export function startRetention(store: CaptureStore, options: { logger: CaptureLogger; intervalMs?: number; now?: () => Date }): Retention {
  let purged = 0;
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const deleted = await store.purgeExpired(options.now?.() ?? new Date());
      purged += deleted;
      if (deleted > 0) options.logger.info({ event: 'capture-retention', store: store.describe, deleted }, `deleted ${deleted} day(s) of capture records past retention`);
    } catch (e) {
      options.logger.warn(
        { event: 'capture-retention-failed', store: store.describe, error: errorText(e) },
        'could not delete capture records past retention; the next try is in 24 hours, or run npm run data:purge -- --expired',
      );
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), 0);
  first.unref();
  const every = setInterval(() => void run(), options.intervalMs ?? DAY_MS);
  every.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
    purged: () => purged,
  };
}

type Settled = { ok: true } | { ok: false; timedOut: true; error?: undefined } | { ok: false; timedOut: false; error: unknown };

/** Runs `write`, catching a synchronous throw as well as a rejection, and gives up after `ms`. */
function settleWithin(write: () => Promise<void>, ms: number): Promise<Settled> {
  return new Promise<Settled>((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, timedOut: true }), ms);
    timer.unref();
    let attempt: Promise<void>;
    try {
      attempt = Promise.resolve(write());
    } catch (e) {
      attempt = Promise.reject(e);
    }
    attempt.then(
      () => {
        clearTimeout(timer);
        resolve({ ok: true });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ ok: false, timedOut: false, error });
      },
    );
  });
}

/**
 * An error for a log line: its name, code and message, without any URL's query string (a SAS
 * token travels there) and cut short. Store errors do not carry record contents, and the
 * queue never logs a record.
 */
export function errorText(e: unknown): string {
  const err = e as { name?: unknown; code?: unknown; message?: unknown } | null;
  const name = typeof err?.name === 'string' ? err.name : 'Error';
  const code = typeof err?.code === 'string' || typeof err?.code === 'number' ? ` ${String(err.code)}` : '';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  const clean = message.replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/g, '$1?…').replace(/\s+/g, ' ');
  const text = `${name}${code}: ${clean}`;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

const stderrLogger: CaptureLogger = {
  info(obj, msg) {
    process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`);
  },
  warn(obj, msg) {
    process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`);
  },
};
