import { constants, createReadStream } from 'node:fs';
import { chmod, mkdir, open, readdir, rm, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CaptureRecord, CaptureStore } from './records';

/*
 * Day files, shared with the Azure Blob store: one JSON Lines file per UTC day, named by
 * the day (`2026-12-02.jsonl`) so that a sorted listing is in time order and retention is a
 * matter of names, not of reading the records.
 */

const DAY_MS = 86_400_000;
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The UTC day (`YYYY-MM-DD`) a record belongs to: that of its `at`, or of now if `at` is unreadable. */
export function recordDay(record: CaptureRecord, now: Date = new Date()): string {
  const t = Date.parse(record.at);
  return utcDay(Number.isNaN(t) ? now : new Date(t));
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day a day file or blob holds, from its base name; undefined for any other name. */
export function dayOfName(name: string): string | undefined {
  return DAY_FILE.exec(name)?.[1];
}

/**
 * The first day kept by retention: the current UTC day and the `retentionDays - 1` days
 * before it are kept, anything earlier is deleted. Deleting a whole day a little early
 * rather than late means no record outlives the retention the operator set by more than
 * the time between two purges.
 */
export function firstKeptDay(now: Date, retentionDays: number): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return utcDay(new Date(today - (retentionDays - 1) * DAY_MS));
}

/** Groups records by UTC day and serialises each group as whole lines, in arrival order. */
export function linesByDay(records: readonly CaptureRecord[], now: Date = new Date()): Map<string, string[]> {
  const days = new Map<string, string[]>();
  for (const record of records) {
    const day = recordDay(record, now);
    let lines = days.get(day);
    if (!lines) days.set(day, (lines = []));
    lines.push(JSON.stringify(record) + '\n');
  }
  return days;
}

/**
 * Turns one line of a day file into a record, or undefined when the line is not one (a
 * torn line left by a crash mid-write, or a stray edit). Blank lines are neither.
 */
export function parseLine(line: string): CaptureRecord | 'blank' | undefined {
  if (line.trim() === '') return 'blank';
  try {
    const value: unknown = JSON.parse(line);
    if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string' && typeof (value as { at?: unknown }).at === 'string') {
      return value as CaptureRecord;
    }
  } catch {
    // A torn or edited line: counted by the caller and skipped.
  }
  return undefined;
}

/** Whether a record is at or after `since` (records with an unreadable time are kept only without `since`). */
export function isSince(record: CaptureRecord, since: Date | undefined): boolean {
  if (!since) return true;
  const t = Date.parse(record.at);
  return !Number.isNaN(t) && t >= since.getTime();
}

/**
 * The records of one day's JSON Lines, from a file or a blob, that are not older than
 * `since`. A line that does not parse (a torn last line) is counted through `skipped`, not
 * read; the stream is closed when the reader stops, early or not.
 */
export async function* recordsOfDay(input: Readable, since: Date | undefined, skipped: () => void): AsyncGenerator<CaptureRecord> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const record = parseLine(line);
      if (record === 'blank') continue;
      if (record === undefined) skipped();
      else if (isSince(record, since)) yield record;
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Lines of a write batch are grouped into writes of about this size, each one `write()` call. */
const WRITE_CHUNK_BYTES = 64 * 1024;

export interface FileCaptureStoreOptions {
  /** `DATA_DIR`; records go to `<dataDir>/capture/`. */
  dataDir: string;
  retentionDays: number;
  /** Flush each append to disk before resolving (default true; tests of throughput may turn it off). */
  sync?: boolean;
}

/**
 * Capture records as JSON Lines, one file per UTC day under `<dataDir>/capture/`.
 *
 * What a write guarantees:
 * - Each append opens the day file with O_APPEND and writes whole lines, grouped into
 *   `write()` calls of at most 64 KiB (a line longer than that is one call on its own), then
 *   `fdatasync`s before resolving. On a local Linux file system a single `write()` to an
 *   O_APPEND descriptor lands at the end of the file in one piece, so two processes writing
 *   the same day file do not interleave lines. Within this process, appends to one file are
 *   serialised, so even a short write (disk full, a signal) is finished before anyone else's
 *   line starts. Network file systems (NFS, SMB, Azure Files) do not promise atomic appends:
 *   run a single writer there, or use the Azure Blob store.
 * - A crash loses at most the lines being written; it can leave a torn last line. The next
 *   append starts on a new line when the file does not end with one (seen mid-write of
 *   another process, that check can add a harmless blank line), and readers skip blank
 *   lines and skip, and count in `skippedLines`, any line that is not a whole record.
 *
 * The folders are created with mode 0700 and the files with 0600: records say what was asked,
 * and redacted samples still hold log text, so only the service's own account reads them.
 */
export class FileCaptureStore implements CaptureStore {
  readonly describe: string;
  /** Lines that were not whole records (torn by a crash, or edited), skipped by `read()` since start. */
  skippedLines = 0;
  private readonly dir: string;
  private readonly retentionDays: number;
  private readonly sync: boolean;
  /** The tail of the in-process write chain of each day file. */
  private readonly chains = new Map<string, Promise<void>>();
  private dirReady: Promise<void> | undefined;

  constructor(options: FileCaptureStoreOptions) {
    this.dir = join(options.dataDir, 'capture');
    this.retentionDays = options.retentionDays;
    this.sync = options.sync ?? true;
    this.describe = `files:${options.dataDir}`;
  }

  async append(records: readonly CaptureRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.ensureDir();
    const writes: Promise<void>[] = [];
    for (const [day, lines] of linesByDay(records)) writes.push(this.serialised(day, () => this.writeDay(day, lines)));
    await Promise.all(writes);
  }

  async *read(options: { since?: Date } = {}): AsyncIterable<CaptureRecord> {
    const since = options.since;
    const fromDay = since ? utcDay(since) : '';
    for (const day of await this.days()) {
      if (day < fromDay) continue;
      try {
        yield* recordsOfDay(createReadStream(join(this.dir, `${day}.jsonl`), { encoding: 'utf8' }), since, () => this.skippedLines++);
      } catch (e) {
        // The file went away between the listing and the read (a purge): nothing left to read.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
  }

  async purgeExpired(now: Date = new Date()): Promise<number> {
    const keepFrom = firstKeptDay(now, this.retentionDays);
    return this.remove((await this.days()).filter((day) => day < keepFrom));
  }

  async purgeAll(): Promise<number> {
    return this.remove(await this.days());
  }

  /** Writes and removes a probe file: the folder exists, and this process may create files in it. */
  async ping(): Promise<boolean> {
    const probe = join(this.dir, `.ping-${process.pid}-${Math.random().toString(16).slice(2)}`);
    try {
      await this.ensureDir();
      const handle = await open(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      await handle.close();
      await unlink(probe);
      return true;
    } catch {
      this.dirReady = undefined;
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
  }

  /** Day files present, oldest first; none when the folder does not exist yet. */
  private async days(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names
      .map(dayOfName)
      .filter((d): d is string => d !== undefined)
      .sort();
  }

  private async remove(days: readonly string[]): Promise<number> {
    let removed = 0;
    for (const day of days) {
      // Wait for this process's writes to the file, so a purge does not race its own append.
      await this.chains.get(day);
      try {
        await rm(join(this.dir, `${day}.jsonl`));
        removed++;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    return removed;
  }

  private ensureDir(): Promise<void> {
    this.dirReady ??= (async () => {
      const created = await mkdir(this.dir, { recursive: true, mode: 0o700 });
      // mkdir's mode is filtered by the umask; the capture folder itself is made 0700 whatever it is.
      if (created !== undefined) await chmod(this.dir, 0o700);
    })().catch((e: unknown) => {
      this.dirReady = undefined;
      throw e;
    });
    return this.dirReady;
  }

  /** Runs `write` after the previous write to the same day file has settled. */
  private serialised(day: string, write: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(day) ?? Promise.resolve();
    const next = previous.then(write, write);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(day, tail);
    void tail.then(() => {
      if (this.chains.get(day) === tail) this.chains.delete(day);
    });
    return next;
  }

  private async writeDay(day: string, lines: readonly string[]): Promise<void> {
    const path = join(this.dir, `${day}.jsonl`);
    // Read-write only so that the last byte can be checked; every write still goes to the end.
    const handle = await open(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o600);
    try {
      const { size } = await handle.stat();
      const created = size === 0;
      const chunks = chunkLines(lines, WRITE_CHUNK_BYTES);
      // A torn last line (a crash mid-write, here or in another process) must not swallow ours.
      // While another process is writing, the end of the file can look torn for a moment; the
      // cost of that is a blank line, which readers skip.
      if (!(await endsWithNewline(handle, size)) && chunks[0]) chunks[0] = Buffer.concat([Buffer.from('\n'), chunks[0]]);
      for (const chunk of chunks) await writeAll(handle, chunk);
      if (this.sync) {
        await handle.datasync();
        // A new file's name must reach the disk too, or a crash can lose the whole day file.
        if (created) await syncDir(this.dir);
      }
    } finally {
      await handle.close();
    }
  }
}

/** Whole lines packed into buffers of at most `max` bytes (a longer line is a buffer on its own). */
export function chunkLines(lines: readonly string[], max: number): Buffer[] {
  const chunks: Buffer[] = [];
  let current: Buffer[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    if (size > 0 && size + bytes.length > max) {
      chunks.push(Buffer.concat(current, size));
      current = [];
      size = 0;
    }
    current.push(bytes);
    size += bytes.length;
  }
  if (size > 0) chunks.push(Buffer.concat(current, size));
  return chunks;
}

/** One `write()` for the buffer; only a short write (disk full, a signal) needs a second. */
async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    if (bytesWritten === 0) throw new Error('the disk accepted no bytes; check free space');
    offset += bytesWritten;
  }
}

async function endsWithNewline(handle: FileHandle, size: number): Promise<boolean> {
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  // A positioned read; O_APPEND affects only where writes go.
  await handle.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform can fsync a folder (Windows cannot); the data itself is synced.
  }
}
