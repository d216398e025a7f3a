/**
 * Bytes of an attached or piped log → text. CMTrace logs are often UTF-16 LE with a BOM,
 * sometimes without one; everything else is read as UTF-8.
 *
 * The rule, in three steps (the streaming line decoder applies the same rule, chunk by chunk):
 *
 * 1. Encoding. A byte-order mark decides (UTF-8, UTF-16 LE, UTF-16 BE). Without one, the
 *    data is UTF-16 when, in the byte pairs that are not both NUL, most pairs have a NUL in
 *    the same half and almost none in the other (ASCII text in UTF-16); otherwise UTF-8.
 *    Pairs that are both NUL are left out of the count: they are NUL padding, not text.
 *
 * 2. NUL padding. A log cut short by a crash or a power loss is often followed or
 *    interrupted by runs of NUL bytes (or NUL characters, in UTF-16). Every run of NUL
 *    characters (U+0000) is read as a line break; where there is a line break already (at
 *    the start or the end of the input, or next to a CR or LF) the run is dropped, so
 *    padding after the last line adds no line. NUL characters never reach the text.
 *
 * 3. Text or binary. The first {@link SAMPLE_CHARS} characters that are not padding are
 *    judged; runs of {@link PADDING_RUN} or more NUL characters are padding and are not
 *    counted. The data is refused as not text when more than 5% of the judged characters
 *    are control characters (C0 controls other than TAB, LF, VT, FF and CR; a NUL run
 *    shorter than {@link PADDING_RUN} counts as one, as NULs scattered between other bytes
 *    are the mark of a binary format), or when more than a third of them are U+FFFD
 *    (bytes that are not valid UTF-8, or unpaired UTF-16 surrogates). So a CCM log with a
 *    64 KB NUL tail or NUL blocks in the middle is text; an executable, a zip or an image
 *    (control bytes throughout, short NUL runs, invalid UTF-8) is not.
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export type DecodedText =
  | { ok: true; text: string; encoding: TextEncodingName }
  | { ok: false; reason: string };

/** How many characters (padding left out) decide between text and binary. */
export const SAMPLE_CHARS = 4096;
/** A run of at least this many NUL characters is padding; a shorter one is a control character. */
export const PADDING_RUN = 4;
/** Byte pairs that are not both NUL needed to guess UTF-16 without a BOM. */
const GUESS_PAIRS = 2048;

export const NOT_TEXT_REASON = 'the data is not text (it contains control bytes or invalid UTF-8 throughout): attach the .log file itself, not a zip, an executable or an image';

export function decodeLogBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) return { ok: true, text: '', encoding: 'utf-8' };
  const { encoding } = detectEncoding(bytes, true) as { encoding: TextEncodingName };
  // TextDecoder drops a byte-order mark that matches the encoding.
  const raw = new TextDecoder(encoding).decode(bytes);
  const judge = createTextJudge();
  judge.push(raw);
  if (judge.end() === 'binary') return { ok: false, reason: NOT_TEXT_REASON };
  const nul = createNulFilter();
  const text = nul.push(raw) + nul.end();
  return { ok: true, text, encoding };
}

/**
 * The encoding of `bytes` (the start of the input), by step 1 of the rule above.
 * Returns undefined when not `final` and the bytes hold too little besides NUL padding
 * to tell; the caller then waits for more.
 */
export function detectEncoding(bytes: Uint8Array, final: boolean): { encoding: TextEncodingName } | undefined {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le' };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be' };
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8' };
  if (bytes.length < 3 && !final) return undefined;
  let pairs = 0;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i + 1 < bytes.length && pairs < GUESS_PAIRS; i += 2) {
    const a = bytes[i];
    const b = bytes[i + 1];
    if (a === 0 && b === 0) continue;
    pairs++;
    if (a === 0) evenNul++;
    if (b === 0) oddNul++;
  }
  if (pairs < GUESS_PAIRS && !final) return undefined;
  if (pairs >= 2) {
    if (oddNul > pairs * 0.6 && evenNul < pairs * 0.1) return { encoding: 'utf-16le' };
    if (evenNul > pairs * 0.6 && oddNul < pairs * 0.1) return { encoding: 'utf-16be' };
  }
  return { encoding: 'utf-8' };
}

/** Step 3 of the rule above, fed decoded text (NULs still in it) chunk by chunk. */
export interface TextJudge {
  /** Feeds decoded text; returns the verdict once enough has been seen, undefined before. */
  push(text: string): 'text' | 'binary' | undefined;
  /** The verdict on what was fed (the input ended). */
  end(): 'text' | 'binary';
}

export function createTextJudge(): TextJudge {
  let judged = 0;
  let control = 0;
  let invalid = 0;
  let nulRun = 0;
  let verdict: 'text' | 'binary' | undefined;

  function closeRun(): void {
    if (nulRun > 0 && nulRun < PADDING_RUN) {
      judged++;
      control++;
    }
    nulRun = 0;
  }

  function decide(): 'text' | 'binary' {
    verdict = control > judged * 0.05 || invalid > judged / 3 ? 'binary' : 'text';
    return verdict;
  }

  return {
    push(text) {
      if (verdict) return verdict;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0) {
          nulRun++;
          continue;
        }
        closeRun();
        judged++;
        if (c < 9 || (c > 13 && c < 32)) control++;
        else if (c === 0xfffd) invalid++;
        if (judged >= SAMPLE_CHARS) return decide();
      }
      return undefined;
    },
    end() {
      if (verdict) return verdict;
      // A NUL run that ends the input is padding, however short.
      nulRun = 0;
      return decide();
    },
  };
}

/** Step 2 of the rule above, fed decoded text chunk by chunk: NUL runs become line breaks or go. */
export interface NulFilter {
  push(text: string): string;
  end(): string;
}

export function createNulFilter(): NulFilter {
  /** Whether the last character passed on was CR or LF, or nothing was passed on yet. */
  let atBreak = true;
  /** A NUL run was seen and the character after it has not come yet. */
  let pending = false;

  return {
    push(text) {
      if (text.length === 0) return text;
      if (!pending && text.indexOf('\0') < 0) {
        const last = text.charCodeAt(text.length - 1);
        atBreak = last === 10 || last === 13;
        return text;
      }
      let out = '';
      let i = 0;
      while (i < text.length) {
        const z = text.indexOf('\0', i);
        const end = z < 0 ? text.length : z;
        if (end > i) {
          if (pending) {
            const next = text.charCodeAt(i);
            if (!atBreak && next !== 10 && next !== 13) out += '\n';
            pending = false;
          }
          out += text.slice(i, end);
          const last = text.charCodeAt(end - 1);
          atBreak = last === 10 || last === 13;
        }
        if (z < 0) break;
        let j = z + 1;
        while (j < text.length && text.charCodeAt(j) === 0) j++;
        pending = true;
        i = j;
      }
      return out;
    },
    end() {
      // A run at the end of the input is dropped: the last line ends there anyway.
      pending = false;
      return '';
    },
  };
}
