/**
 * Splits text into lines on CRLF, LF or lone CR (old Mac-style and mixed pastes).
 * A generator, so that callers can stop early without splitting the rest.
 */
export function* splitLines(text: string): Generator<string> {
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) {
      yield text.slice(start, i);
      if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  if (start < n) yield text.slice(start);
}
