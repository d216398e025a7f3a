/**
 * Log files attached to a message. Teams (personal chat) sends
 * `application/vnd.microsoft.teams.file.download.info` with a pre-authorised `downloadUrl`;
 * the Emulator and Web Chat send a plain `contentUrl`. Files are downloaded with a byte cap
 * that is enforced while reading, so a large or endless file is never held whole.
 */
export interface AttachmentLike {
  contentType?: string;
  contentUrl?: string;
  content?: unknown;
  name?: string;
}

export interface FileRef {
  name: string;
  url: string;
}

export const TEAMS_FILE = 'application/vnd.microsoft.teams.file.download.info';
export const MAX_FILES_PER_MESSAGE = 3;

/** Splits a message's attachments into files to read and ones that cannot be logs. */
export function fileAttachments(attachments: readonly AttachmentLike[] | undefined): { files: FileRef[]; refused: string[] } {
  const files: FileRef[] = [];
  const refused: string[] = [];
  for (const a of attachments ?? []) {
    const type = (a.contentType ?? '').toLowerCase();
    const name = typeof a.name === 'string' && a.name.trim() ? a.name.trim() : 'the attached file';
    if (type === 'text/html' || type.startsWith('application/vnd.microsoft.card')) continue;
    if (type === TEAMS_FILE) {
      const url = (a.content as { downloadUrl?: unknown } | undefined)?.downloadUrl;
      if (typeof url === 'string') files.push({ name, url });
      continue;
    }
    if (type.startsWith('image/') || type.startsWith('video/') || type.startsWith('audio/')) {
      refused.push(`${name} is a picture or a recording, not a log: paste the log lines as text or attach the .log file.`);
      continue;
    }
    if (typeof a.contentUrl === 'string') files.push({ name, url: a.contentUrl });
  }
  return { files, refused };
}

export type Download = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Plain http is accepted only in local anonymous mode (Emulator, tests). */
  allowHttp: boolean;
}

export async function downloadFile(file: FileRef, options: DownloadOptions): Promise<Download> {
  let url: URL;
  try {
    url = new URL(file.url);
  } catch {
    return { ok: false, reason: 'its download address is not valid' };
  }
  if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:')) {
    return { ok: false, reason: `files are only downloaded over ${options.allowHttp ? 'http or https' : 'https'}` };
  }
  const tooBig = `it is larger than the ${formatBytes(options.maxBytes)} limit: attach the part of the log around the failure, or paste those lines`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), redirect: 'follow' });
  } catch (e) {
    return { ok: false, reason: (e as Error).name === 'TimeoutError' ? 'the download took too long' : 'it could not be downloaded' };
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `the download failed (HTTP ${res.status})` };
  }
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await res.body.cancel().catch(() => undefined);
    return { ok: false, reason: tooBig };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: tooBig };
      }
      chunks.push(value);
    }
  } catch (e) {
    return { ok: false, reason: (e as Error).name === 'TimeoutError' ? 'the download took too long' : 'the download was interrupted' };
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { ok: true, bytes };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
