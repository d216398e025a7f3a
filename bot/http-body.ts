import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'restify';
import { formatBytes } from './attachments';

/**
 * Reads a request body with a byte cap. A declared Content-Length over the cap is refused
 * before a byte is read; a body that turns out longer (chunked, or lying about its
 * length) is refused as soon as it passes the cap, so an oversized body is never held whole.
 */
export type BodyResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; status: 413 | 400; message: string };

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const tooLarge = { ok: false as const, status: 413 as const, message: `the request body is larger than the ${formatBytes(maxBytes)} limit` };
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const n = Number(declared);
    if (!Number.isInteger(n) || n < 0) return { ok: false, status: 400, message: 'invalid Content-Length' };
    if (n > maxBytes) return tooLarge;
  }
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const settle = (r: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      // Stop reading; the caller answers with "Connection: close" and the socket goes away.
      if (!r.ok) req.pause();
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) settle(tooLarge);
      else chunks.push(chunk);
    };
    const onEnd = (): void => settle({ ok: true, bytes: Buffer.concat(chunks, total) });
    const onError = (): void => settle({ ok: false, status: 400, message: 'the request body could not be read' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string };

/** Reads and parses a JSON body; anything that is not JSON is a 400, never a 500. */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<JsonResult> {
  const body = await readBody(req, maxBytes);
  if (!body.ok) return body;
  try {
    return { ok: true, value: JSON.parse(body.bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false, status: 400, message: 'the request body is not valid JSON' };
  }
}

/**
 * The media type of a request, lower case without parameters (`text/plain; charset=utf-8`
 * gives `text/plain`); '' when the request has no Content-Type.
 */
export function mediaType(req: IncomingMessage): string {
  const raw = req.headers['content-type'] ?? '';
  return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

/** Whether a media type is JSON: `application/json` or a `+json` type. No type at all counts as JSON. */
export function isJsonType(type: string): boolean {
  return type === '' || type === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(type);
}

/** A media type as it may appear in an error message: short and printable. */
export function shownType(type: string): string {
  const t = type.replace(/[^a-z0-9!#$&^_.+\/-]/g, '');
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
}

/**
 * Sends an error answer. For 413 and 415 the rest of the body is not read: the connection
 * is closed once the answer is out.
 */
export function refuse(req: Request, res: Response, status: number, message: string): void {
  if (status === 413 || status === 415) {
    res.header('Connection', 'close');
    res.once('finish', () => setTimeout(() => req.socket.destroy(), 1000).unref());
  }
  res.send(status, { error: message });
}

