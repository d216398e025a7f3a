import { inert } from './escape';

/**
 * KB answers are written in a little Markdown (code spans, bold, italics) and carry values
 * taken from the user's log. Rather than hand that mix to a Markdown renderer, the answer is
 * cut into Adaptive Card `TextRun`s here: code spans become monospace runs, bold and italics
 * become styled runs, and everything is literal text, so a value from a log can never
 * become a link or a mention whatever characters it holds.
 */
export interface TextRun {
  type: 'TextRun';
  text: string;
  fontType?: 'Monospace';
  weight?: 'Bolder';
  italic?: boolean;
  isSubtle?: boolean;
  color?: 'Accent';
  /** Only on runs of the KB's own link titles (linkList), never on user text. */
  selectAction?: { type: 'Action.OpenUrl'; url: string; title?: string };
}

const TOKEN = /`([^`\n]+)`|\*\*([^*\n]+?)\*\*|(?<![\w*])\*([^*\s][^*\n]*?)\*(?![\w*])|\[([^\]\n]+)\]\((https:\/\/[^)\s]+)\)/g;

/** Cuts KB Markdown into literal runs. */
export function markdownRuns(source: string): TextRun[] {
  const markdown = softWrap(source);
  const runs: TextRun[] = [];
  let last = 0;
  const plain = (s: string): void => {
    if (s.length > 0) runs.push({ type: 'TextRun', text: inert(unescape(s)) });
  };
  for (const m of markdown.matchAll(TOKEN)) {
    plain(markdown.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) runs.push({ type: 'TextRun', text: inert(m[1]), fontType: 'Monospace' });
    else if (m[2] !== undefined) runs.push({ type: 'TextRun', text: inert(unescape(m[2])), weight: 'Bolder' });
    else if (m[3] !== undefined) runs.push({ type: 'TextRun', text: inert(unescape(m[3])), italic: true });
    else if (m[4] !== undefined && m[5] !== undefined) plain(`${m[4]} (${m[5]})`);
  }
  plain(markdown.slice(last));
  return runs;
}

/** The same answer as plain text, for channels without cards: Markdown marks removed. */
export function markdownPlain(markdown: string): string {
  return markdownRuns(markdown).map((r) => r.text).join('');
}

/** One literal run of user text. */
export function run(text: string, style: Omit<TextRun, 'type' | 'text'> = {}): TextRun {
  return { type: 'TextRun', text: inert(text), ...style };
}

/** A single line break inside a Markdown paragraph is a space; blank lines and list items keep theirs. */
function softWrap(source: string): string {
  const lines = source.split('\n');
  let out = lines[0] ?? '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const prev = lines[i - 1] as string;
    if (line.trim() === '' || prev.trim() === '' || /^\s*(?:[-*] |\d{1,2}[.)] )/.test(line)) out += `\n${line}`;
    else out = `${out.trimEnd()} ${line.trimStart()}`;
  }
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');
}
