/**
 * Bytes of an attached or piped log → text. CMTrace logs are often UTF-16 LE with a BOM,
 * sometimes without one; everything else is read as UTF-8. Data that is not text (NUL
 * bytes in UTF-8, control characters) is refused with a reason rather than matched.
 */
export type DecodedText =
  | { ok: true; text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' }
  | { ok: false; reason: string };

export function decodeLogBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) return { ok: true, text: '', encoding: 'utf-8' };
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xff && b1 === 0xfe) return utf16(bytes.subarray(2), 'utf-16le');
  if (b0 === 0xfe && b1 === 0xff) return utf16(bytes.subarray(2), 'utf-16be');
  const start = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const sample = bytes.subarray(start, Math.min(bytes.length, start + 4096));
  const guess = guessUtf16(sample);
  if (guess) return utf16(bytes.subarray(start), guess);
  if (looksBinary(sample)) {
    return { ok: false, reason: 'the data is not text (it contains NUL or control bytes): attach the .log file itself, not a zip or an image' };
  }
  return { ok: true, text: new TextDecoder('utf-8').decode(bytes.subarray(start)), encoding: 'utf-8' };
}

/** UTF-16 without a BOM: ASCII text has a NUL in every other byte. */
function guessUtf16(sample: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (sample.length < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  const pairs = Math.floor(sample.length / 2);
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) evenNul++;
    if (sample[i + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.6 && evenNul < pairs * 0.1) return 'utf-16le';
  if (evenNul > pairs * 0.6 && oddNul < pairs * 0.1) return 'utf-16be';
  return undefined;
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedText {
  const text = new TextDecoder(encoding).decode(bytes);
  if (looksBinaryText(text)) return { ok: false, reason: 'the data is not text: attach the .log file itself' };
  return { ok: true, text, encoding };
}

function looksBinary(sample: Uint8Array): boolean {
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control > sample.length * 0.05;
}

function looksBinaryText(text: string): boolean {
  const sample = text.slice(0, 4096);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0 || c < 9 || (c > 13 && c < 32)) control++;
  }
  return control > sample.length * 0.05;
}
