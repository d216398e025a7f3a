/**
 * Teams delivers a pasted log twice: as `text`, where the line breaks are often lost, and
 * as a `text/html` attachment whose `<p>`, `<div>`, `<br>`, `<pre>` and `<code>` still
 * carry them. This turns that HTML back into lines. It is not a general HTML parser: it
 * only needs to know where lines end and which text is preformatted.
 */

const BLOCK = new Set(['p', 'div', 'li', 'tr', 'ul', 'ol', 'table', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'pre', 'codeblock', 'section', 'article']);
const PREFORMATTED = new Set(['pre', 'codeblock', 'code']);
const SKIPPED = new Set(['script', 'style', 'head', 'title']);
const TAG_NAME = /<(\/?)([a-zA-Z][a-zA-Z0-9-]{0,40})/y;
const MENTION_SPAN = /itemtype\s*=\s*["']?https?:\/\/schema\.skype\.com\/Mention/i;

export interface HtmlToTextOptions {
  /** Names whose mentions (`<at>`, Teams mention spans) are removed, such as the bot's own. */
  dropMentions?: readonly string[];
}

export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  const drop = new Set((options.dropMentions ?? []).map((n) => n.trim().toLowerCase()).filter((n) => n.length > 0));
  const lines: string[] = [''];
  let pre = 0;
  let skip = 0;
  // A mention being read: its text is held back until the closing tag says whether to keep it.
  let mention: { tag: string; depth: number; text: string } | undefined;
  const append = (s: string): void => {
    const parts = s.split('\n');
    lines[lines.length - 1] += parts[0] as string;
    for (const p of parts.slice(1)) lines.push(p);
  };
  const breakLine = (): void => {
    if ((lines[lines.length - 1] as string).trim().length > 0) lines.push('');
    else lines[lines.length - 1] = '';
  };

  const onText = (raw: string): void => {
    const t = decodeEntities(raw);
    if (skip > 0) return;
    if (mention) mention.text += t;
    else append(pre > 0 ? t.replace(/\r\n?/g, '\n') : t.replace(/[ \t\r\n\f]+/g, ' '));
  };
  const onTag = (name: string, isClose: boolean, attrs: string): void => {
    if (mention) {
      if (name === mention.tag) mention.depth += isClose ? -1 : 1;
      if (mention.depth === 0) {
        if (!drop.has(mention.text.trim().toLowerCase())) append(mention.text);
        mention = undefined;
      }
      return;
    }
    if (SKIPPED.has(name)) {
      skip = Math.max(0, skip + (isClose ? -1 : 1));
      return;
    }
    if (!isClose && (name === 'at' || (name === 'span' && MENTION_SPAN.test(attrs)))) {
      mention = { tag: name, depth: 1, text: '' };
      return;
    }
    if (name === 'br') {
      lines.push('');
      return;
    }
    if (PREFORMATTED.has(name)) pre = Math.max(0, pre + (isClose ? -1 : 1));
    if (BLOCK.has(name)) breakLine();
  };

  // A hand-written scanner rather than one big regex: every character is looked at a
  // bounded number of times, so hostile HTML (unclosed tags, quotes, comments) stays linear.
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      onText(html.slice(i));
      break;
    }
    if (lt > i) onText(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    TAG_NAME.lastIndex = lt;
    const m = TAG_NAME.exec(html);
    if (!m) {
      onText('<');
      i = lt + 1;
      continue;
    }
    let j = lt + m[0].length;
    let quote = '';
    for (; j < n; j++) {
      const c = html[j];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
    }
    if (j >= n) break;
    onTag((m[2] as string).toLowerCase(), m[1] === '/', html.slice(lt + m[0].length, j));
    i = j + 1;
  }
  if (mention && !drop.has(mention.text.trim().toLowerCase())) append(mention.text);
  const out = lines.map((l) => l.replace(/[ \t]+$/, ''));
  // Text outside <pre> starts lines with the space left by collapsed indentation.
  while (out.length > 0 && (out[0] as string).trim() === '') out.shift();
  while (out.length > 0 && (out[out.length - 1] as string).trim() === '') out.pop();
  return out.map((l) => l.replace(/^ (?=\S)/, '')).join('\n');
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8}|#39);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x') || lower.startsWith('#')) {
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
      return code === 0xa0 ? ' ' : String.fromCodePoint(code);
    }
    return NAMED[lower] ?? whole;
  });
}

/** Line count of a text, for choosing between the plain and the HTML version of a message. */
export function lineCount(text: string): number {
  return text.length === 0 ? 0 : text.split(/\r\n|\r|\n/).length;
}
