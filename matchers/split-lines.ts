/**
 * Splits text into lines on CRLF, LF or lone CR (old Mac-style and mixed pastes).
 * A generator, so that callers can stop early without splitting the rest. Breaks are
 * found with indexOf, which the engine runs far faster than a loop over character codes.
 */
export function* splitLines(text: string): Generator<string> {
  const n = text.length;
  let start = 0;
  let cr = text.indexOf('\r');
  let lf = text.indexOf('\n');
  while (cr >= 0 || lf >= 0) {
    const atCR = cr >= 0 && (lf < 0 || cr < lf);
    const at = atCR ? cr : lf;
    yield text.slice(start, at);
    start = atCR && text.charCodeAt(at + 1) === 10 ? at + 2 : at + 1;
    if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
    if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
  }
  if (start < n) yield text.slice(start);
}
