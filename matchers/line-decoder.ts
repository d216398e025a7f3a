import { decodeLogBytes } from './decode-text';

/**
 * Turns a byte stream into lines without holding the whole input: the encoding is
 * decided from the first chunk (BOM, or NUL pattern for UTF-16 without one), then
 * chunks are decoded as they come and split on CRLF, LF or CR.
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
  function start(sample: Uint8Array): TextDecoder {
    const probe = decodeLogBytes(sample.subarray(0, 4096));
    if (!probe.ok) throw new NotTextError(probe.reason);
    encoding = probe.encoding;
    decoder = new TextDecoder(probe.encoding);
    return decoder;
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
        if (joined.length < 4096) {
          head = joined;
          return [];
        }
        head = new Uint8Array(0);
        return split(start(joined).decode(joined, { stream: true }), false);
      }
      return split(decoder.decode(chunk, { stream: true }), false);
    },
    end() {
      if (!decoder) {
        if (head.length === 0) return [];
        const first = head;
        head = new Uint8Array(0);
        return split(start(first).decode(first), true);
      }
      return split(decoder.decode(), true);
    },
  };
}
