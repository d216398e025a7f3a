import type { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';
import type { CaptureRecord, CaptureStore } from './records';
import { chunkLines, dayOfName, firstKeptDay, linesByDay, recordsOfDay, utcDay } from './store-files';

/** The largest block an append blob accepts in one `appendBlock` call. */
export const MAX_APPEND_BLOCK_BYTES = 4 * 1024 * 1024;
const PREFIX = 'capture/';

export interface AzureBlobCaptureStoreOptions {
  /** `AZURE_STORAGE_CONNECTION_STRING`: an account key or a SAS, or `UseDevelopmentStorage=true`. */
  connectionString: string;
  /** `CAPTURE_CONTAINER`; created on the first append if missing. */
  container: string;
  retentionDays: number;
  /** How long `ping()` waits for an answer (default 3 s): `/healthz` must answer promptly. */
  pingTimeoutMs?: number;
  /** Tries per request, including the first (default 3), and the time each may take (default 30 s). */
  maxTries?: number;
  tryTimeoutMs?: number;
  /** Largest block written (default and maximum 4 MiB); smaller in tests of the splitting. */
  maxBlockBytes?: number;
}

/**
 * Capture records in Azure Blob Storage: one append blob per UTC day, `capture/YYYY-MM-DD.jsonl`
 * in the container `CAPTURE_CONTAINER`, in the same JSON Lines as the files store.
 *
 * Each `appendBlock` carries whole lines, at most 4 MiB, and the service commits a block
 * whole or not at all, so instances of the bot scaled out to several machines can write the
 * same day blob without interleaving lines. An append blob holds at most 50,000 blocks: the
 * queue writes in batches (one block per batch and day), which keeps a day far below that.
 *
 * The SDK is loaded on first use, so a server that keeps its records in files does not pay
 * for loading it at start.
 */
export class AzureBlobCaptureStore implements CaptureStore {
  readonly describe: string;
  /** Lines that were not whole records, skipped by `read()` since start. */
  skippedLines = 0;
  private readonly options: AzureBlobCaptureStoreOptions;
  private readonly maxBlockBytes: number;
  private client: Promise<ContainerClient> | undefined;
  private containerReady: Promise<void> | undefined;
  /** Day blobs this process has created or found, so that appends skip the create call. */
  private readonly knownBlobs = new Set<string>();

  constructor(options: AzureBlobCaptureStoreOptions) {
    this.options = options;
    this.maxBlockBytes = Math.min(options.maxBlockBytes ?? MAX_APPEND_BLOCK_BYTES, MAX_APPEND_BLOCK_BYTES);
    this.describe = `azure-blob:${accountOf(options.connectionString)}/${options.container}`;
  }

  async append(records: readonly CaptureRecord[]): Promise<void> {
    if (records.length === 0) return;
    // Every block is cut before anything is written, so a record too large to store fails the
    // batch before any of it reaches the blob.
    const days = [...linesByDay(records)].map(([day, lines]) => [day, packBlocks(lines, this.maxBlockBytes)] as const);
    const container = await this.ensureContainer();
    for (const [day, blocks] of days) {
      const blob = container.getAppendBlobClient(`${PREFIX}${day}.jsonl`);
      for (const block of blocks) {
        if (!this.knownBlobs.has(blob.name)) {
          await blob.createIfNotExists({ blobHTTPHeaders: { blobContentType: 'application/x-ndjson; charset=utf-8' } });
          this.knownBlobs.add(blob.name);
        }
        try {
          await blob.appendBlock(block, block.length);
        } catch (e) {
          // Purged (here or by another instance) since this process last wrote it: create it again, once.
          if (statusOf(e) !== 404) throw e;
          this.knownBlobs.delete(blob.name);
          if (errorCodeOf(e) === 'ContainerNotFound') {
            this.containerReady = undefined;
            await this.ensureContainer();
          }
          await blob.createIfNotExists();
          this.knownBlobs.add(blob.name);
          await blob.appendBlock(block, block.length);
        }
      }
    }
  }

  async *read(options: { since?: Date } = {}): AsyncIterable<CaptureRecord> {
    const since = options.since;
    const fromDay = since ? utcDay(since) : '';
    const container = await this.container();
    for (const day of await this.days(container)) {
      if (day < fromDay) continue;
      let body: Readable | undefined;
      try {
        body = (await container.getBlobClient(`${PREFIX}${day}.jsonl`).download()).readableStreamBody as Readable | undefined;
      } catch (e) {
        if (statusOf(e) === 404) continue; // purged between the listing and the download
        throw e;
      }
      if (body) yield* recordsOfDay(body, since, () => this.skippedLines++);
    }
  }

  async purgeExpired(now: Date = new Date()): Promise<number> {
    const container = await this.container();
    const keepFrom = firstKeptDay(now, this.options.retentionDays);
    return this.remove(
      container,
      (await this.days(container)).filter((day) => day < keepFrom),
    );
  }

  async purgeAll(): Promise<number> {
    const container = await this.container();
    return this.remove(container, await this.days(container));
  }

  /**
   * Asks whether the container exists, with a short timeout. An answer either way means the
   * account is reachable and the credentials work (a missing container is created on the
   * first append); no answer in time, a refused connection or a refused key means false.
   */
  async ping(): Promise<boolean> {
    try {
      const container = await this.container();
      await container.exists({ abortSignal: AbortSignal.timeout(this.options.pingTimeoutMs ?? 3_000) });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // The SDK holds no connection that outlives a request's keep-alive; nothing to release.
  }

  private container(): Promise<ContainerClient> {
    this.client ??= import('@azure/storage-blob').then(({ BlobServiceClient }) =>
      BlobServiceClient.fromConnectionString(this.options.connectionString, {
        retryOptions: {
          maxTries: this.options.maxTries ?? 3,
          tryTimeoutInMs: this.options.tryTimeoutMs ?? 30_000,
          retryDelayInMs: 500,
          maxRetryDelayInMs: 5_000,
        },
      }).getContainerClient(this.options.container),
    );
    return this.client;
  }

  private ensureContainer(): Promise<ContainerClient> {
    this.containerReady ??= this.container()
      .then((c) => c.createIfNotExists())
      .then(() => undefined)
      .catch((e: unknown) => {
        // Try again on the next append rather than remember a failure.
        this.containerReady = undefined;
        throw e;
      });
    return this.containerReady.then(() => this.container());
  }

  /** Day blobs present, oldest first; none when the container does not exist yet. */
  private async days(container: ContainerClient): Promise<string[]> {
    const days: string[] = [];
    try {
      for await (const blob of container.listBlobsFlat({ prefix: PREFIX })) {
        const day = dayOfName(blob.name.slice(PREFIX.length));
        if (day) days.push(day);
      }
    } catch (e) {
      if (statusOf(e) === 404) return [];
      throw e;
    }
    return days.sort();
  }

  private async remove(container: ContainerClient, days: readonly string[]): Promise<number> {
    let removed = 0;
    for (const day of days) {
      const name = `${PREFIX}${day}.jsonl`;
      // Snapshots too: otherwise the service refuses to delete the blob, and the data would stay.
      const result = await container.getBlobClient(name).deleteIfExists({ deleteSnapshots: 'include' });
      this.knownBlobs.delete(name);
      if (result.succeeded) removed++;
    }
    return removed;
  }
}

/** Whole lines packed into blocks of at most `max` bytes; a single line that does not fit is refused. */
export function packBlocks(lines: readonly string[], max: number): Buffer[] {
  const blocks = chunkLines(lines, max);
  // chunkLines gives a line longer than `max` a buffer of its own: the only way a block is too big.
  const tooBig = blocks.find((b) => b.length > max);
  // Never the record's contents in the message: it may hold a (redacted) paste.
  if (tooBig) throw new RangeError(`a capture record of ${tooBig.length} bytes is larger than an append block (${max} bytes) and cannot be stored`);
  return blocks;
}

/** The account a connection string names, for logs: never the key or the SAS. */
function accountOf(connectionString: string): string {
  const parts = new Map(
    connectionString
      .split(';')
      .map((p) => {
        const i = p.indexOf('=');
        return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim()] as const;
      })
      .filter(([k]) => k !== ''),
  );
  if (parts.get('usedevelopmentstorage') === 'true') return 'devstoreaccount1';
  const account = parts.get('accountname');
  if (account) return account;
  const endpoint = parts.get('blobendpoint');
  if (endpoint) {
    try {
      return new URL(endpoint).host;
    } catch {
      // fall through
    }
  }
  return 'account';
}

function statusOf(e: unknown): number | undefined {
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function errorCodeOf(e: unknown): string | undefined {
  const details = (e as { details?: { errorCode?: unknown } } | null)?.details;
  const code = (e as { code?: unknown } | null)?.code ?? details?.errorCode;
  return typeof code === 'string' ? code : undefined;
}
