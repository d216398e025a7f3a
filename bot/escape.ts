/**
 * Text that came from a user's log is echoed back in replies (evidence lines, file names,
 * values filled into the answer). In the cards it only ever goes into `TextRun`s, which
 * no renderer reads as Markdown; these helpers take care of what is left: control
 * characters, clients that turn bare addresses into links, and the Adaptive Cards
 * `{{DATE(...)}}` functions that TextRuns still expand.
 */

const ZWSP = '\u200b';

/**
 * Makes user text inert for display: drops control characters (keeps tab and line
 * breaks), breaks `scheme://`, `www.` and `@` so that clients do not turn them into links
 * or addresses, and breaks `{{` so that no text function runs. A zero-width space is
 * invisible, so the line still reads as it was written.
 */
/** Any character one of the replacements acts on: most evidence lines hold none. */
const VERBATIM_NEEDS_WORK = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069@{<]/;
const NEEDS_WORK = new RegExp(`${VERBATIM_NEEDS_WORK.source}|:\\/\\/|www\\.`, 'i');

export function inert(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return verbatim(text)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`);
}

/**
 * A log line echoed as evidence, kept copyable: like `inert`, but addresses (`http://`,
 * `www.`) are left whole, so that a URL copied from the card is the URL of the log. This is
 * safe only where it is used, in a monospace `TextRun` of evidence: a TextRun is never read
 * as Markdown (so `[text](url)` stays literal text) and carries no link unless the card sets
 * one, which evidence never does. The URL shown is the one the user pasted in the same
 * conversation. Mentions and text functions are still broken.
 */
export function verbatim(text: string): string {
  if (!VERBATIM_NEEDS_WORK.test(text)) return text;
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/@/g, `@${ZWSP}`)
    .replace(/\{\{/g, `{${ZWSP}{`)
    .replace(/<(\/?at\b)/gi, `<${ZWSP}$1`);
}

/** Cuts text to `max` characters (by code point boundary), marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end) + '…';
}

/** Backslash-escapes Markdown punctuation, for the few places where Markdown is interpreted. */
export function escapeMarkdown(text: string): string {
  return inert(text).replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}
