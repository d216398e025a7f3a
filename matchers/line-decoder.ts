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

export function createLineDecoder(): LineDecoder {
  let decoder: TextDecoder | undefined;
  let encoding: string | undefined;
  let head = new Uint8Array(0);
  let carry = '';
  let pendingCR = false;
  let bytes = 0;

  function split(text: string, final: boolean): string[] {
    let s = carry + text;
    const lines: string[] = [];
    if (pendingCR && s.startsWith('\n')) s = s.slice(1);
    pendingCR = false;
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (ch === 10 || ch === 13) {
        lines.push(s.slice(start, i));
        if (ch === 13) {
          if (i + 1 < s.length) {
            if (s.charCodeAt(i + 1) === 10) i++;
          } else pendingCR = true;
        }
        start = i + 1;
      }
    }
    carry = s.slice(start);
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
