import { createNulFilter, createTextJudge, detectEncoding, NOT_TEXT_REASON } from './decode-text';

/**
 * Turns a byte stream into lines without holding the whole input: the encoding is
 * decided from the first bytes (BOM, or NUL pattern for UTF-16 without one), then
 * chunks are decoded as they come and split on CRLF, LF or CR. Text and binary are told
 * apart, and NUL padding is read, by the rule documented in decode-text.ts: runs of NUL
 * characters become line breaks (or go, next to one), and the first 4,096 characters
 * that are not padding decide whether the data is text. Lines are held back until that
 * is decided, so a caller never gets lines of a file that turns out to be binary.
 */
export interface LineDecoder {
  /** Feeds a chunk; returns the lines it completed. Throws NotTextError when the data is not text. */
  push(chunk: Uint8Array): string[];
  end(): string[];
  readonly encoding: string | undefined;
  readonly bytes: number;
}

export class NotTextError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotTextError';
  }
}

export interface LineDecoderOptions {
  /**
   * A line longer than this many characters is kept only up to it; the rest, up to the
   * next line break, is dropped as it arrives, so that a file without line breaks is not
   * held whole (default 1,048,576). The diagnosis cuts lines far shorter than this anyway.
   */
  maxLineChars?: number;
}

export function createLineDecoder(options: LineDecoderOptions = {}): LineDecoder {
  const maxLineChars = options.maxLineChars ?? 1 << 20;
  let decoder: TextDecoder | undefined;
  let encoding: string | undefined;
  let head = new Uint8Array(0);
  const judge = createTextJudge();
  const nul = createNulFilter();
  /** Lines completed before the data was judged to be text. */
  let held: string[] | undefined = [];
  // The start of a line whose break has not arrived yet (never more than maxLineChars).
  let carry = '';
  let pendingCR = false;
  let bytes = 0;

  function withCarry(piece: string): string {
    if (carry.length === 0) return piece.length > maxLineChars ? piece.slice(0, maxLineChars) : piece;
    const room = maxLineChars - carry.length;
    const line = room <= 0 ? carry : carry + (piece.length > room ? piece.slice(0, room) : piece);
    carry = '';
    return line;
  }

  /**
   * Splits on CRLF, LF or lone CR. Line breaks are found with indexOf, which the engine
   * runs far faster than a loop over character codes; only the new text is searched, so
   * a long line arriving in many chunks costs its length once, not once per chunk.
   */
  function split(text: string, final: boolean): string[] {
    const lines: string[] = [];
    let start = 0;
    if (pendingCR && text.length > 0) {
      if (text.charCodeAt(0) === 10) start = 1;
      pendingCR = false;
    }
    let cr = text.indexOf('\r', start);
    let lf = text.indexOf('\n', start);
    while (cr >= 0 || lf >= 0) {
      const atCR = cr >= 0 && (lf < 0 || cr < lf);
      const at = atCR ? cr : lf;
      lines.push(withCarry(text.slice(start, at)));
      if (atCR) {
        if (at + 1 >= text.length) pendingCR = true;
        else if (text.charCodeAt(at + 1) === 10) {
          start = at + 2;
          lf = text.indexOf('\n', start);
          cr = text.indexOf('\r', start);
          continue;
        }
        start = at + 1;
        cr = text.indexOf('\r', start);
      } else {
        start = at + 1;
        lf = text.indexOf('\n', start);
      }
    }
    if (start < text.length && carry.length < maxLineChars) {
      const rest = text.slice(start, start + (maxLineChars - carry.length));
      carry = carry.length === 0 ? rest : carry + rest;
    }
    if (final && carry.length > 0) {
      lines.push(carry);
      carry = '';
    }
    return lines;
  }

  /** Decides the encoding from the first bytes; TextDecoder drops a BOM itself. */
  function start(sample: Uint8Array, final: boolean): TextDecoder | undefined {
    // Past 1 MB of (mostly NUL) bytes, decide with what there is.
    const found = detectEncoding(sample, final || sample.length >= 1 << 20);
    if (!found) return undefined;
    encoding = found.encoding;
    decoder = new TextDecoder(found.encoding);
    return decoder;
  }

  /** Decoded text → lines: judged while undecided, NUL runs filtered, then split. */
  function take(text: string, final: boolean): string[] {
    if (held !== undefined) {
      const verdict = final ? (judge.push(text), judge.end()) : judge.push(text);
      const lines = split(nul.push(text) + (final ? nul.end() : ''), final);
      if (verdict === 'binary') {
        held = [];
        throw new NotTextError(NOT_TEXT_REASON);
      }
      if (verdict === undefined) {
        for (const l of lines) held.push(l);
        return [];
      }
      const out = held.length > 0 ? held.concat(lines) : lines;
      held = undefined;
      return out;
    }
    return split(nul.push(text) + (final ? nul.end() : ''), final);
  }

  return {
    get encoding() {
      return encoding;
    },
    get bytes() {
      return bytes;
    },
    push(chunk) {
      bytes += chunk.length;
      if (!decoder) {
        const joined = new Uint8Array(head.length + chunk.length);
        joined.set(head);
        joined.set(chunk, head.length);
        const d = joined.length < 4096 ? undefined : start(joined, false);
        if (!d) {
          head = joined;
          return [];
        }
        head = new Uint8Array(0);
        return take(d.decode(joined, { stream: true }), false);
      }
      return take(decoder.decode(chunk, { stream: true }), false);
    },
    end() {
      if (!decoder) {
        const first = head;
        head = new Uint8Array(0);
        if (first.length === 0) return take('', true);
        return take((start(first, true) as TextDecoder).decode(first), true);
      }
      return take(decoder.decode(), true);
    },
  };
}
