import type { Severity } from '../types';

/**
 * CMTrace ("CCM") records: `<![LOG[message]LOG]!><time="…" date="…" component="…" context="" type="3" thread="…" file="…">`.
 * The message may span lines; the attribute part always closes the record.
 */
export const CMTRACE_OPEN = '<![LOG[';
export const CMTRACE_CLOSE = ']LOG]!>';

export interface CmtraceParts {
  message: string;
  component?: string;
  severity?: Severity;
  time?: string;
  date?: string;
  thread?: string;
}

export function parseCmtraceRecord(joined: string): CmtraceParts | undefined {
  const open = joined.indexOf(CMTRACE_OPEN);
  const close = joined.lastIndexOf(CMTRACE_CLOSE);
  if (open < 0 || close < open) return undefined;
  const message = joined.slice(open + CMTRACE_OPEN.length, close);
  const tail = joined.slice(close + CMTRACE_CLOSE.length, close + CMTRACE_CLOSE.length + 1000);
  let component: string | undefined;
  let type: string | undefined;
  let time: string | undefined;
  let date: string | undefined;
  let thread: string | undefined;
  // `name="value"` pairs, read with indexOf rather than a global regex: this runs once per
  // record of every CMTrace log, and the attribute part is the same shape every time.
  // Same result as matching /([a-z]+)="([^"]*)"/gi from left to right; later keys win.
  let pos = 0;
  for (;;) {
    const eq = tail.indexOf('="', pos);
    if (eq < 0) break;
    let k = eq;
    while (k > pos && isAsciiLetter(tail.charCodeAt(k - 1))) k--;
    if (k === eq) {
      pos = eq + 1;
      continue;
    }
    const end = tail.indexOf('"', eq + 2);
    if (end < 0) break;
    switch (attributeAt(tail, k, eq)) {
      case 'component': component = tail.slice(eq + 2, end); break;
      case 'type': type = tail.slice(eq + 2, end); break;
      case 'time': time = tail.slice(eq + 2, end); break;
      case 'date': date = tail.slice(eq + 2, end); break;
      case 'thread': thread = tail.slice(eq + 2, end); break;
    }
    pos = end + 1;
  }
  return {
    message,
    component: component || undefined,
    severity: severityOfType(type),
    time,
    date,
    thread,
  };
}

const WANTED = ['component', 'type', 'time', 'date', 'thread'] as const;

/** Which wanted attribute name, in any case, is `s[start, end)`; compared in place, as most names are not wanted. */
function attributeAt(s: string, start: number, end: number): (typeof WANTED)[number] | undefined {
  const length = end - start;
  let sameLength = false;
  for (const name of WANTED) {
    if (name.length !== length) continue;
    if (s.startsWith(name, start)) return name;
    sameLength = true;
  }
  // Upper-case spellings (TYPE="3") are rare; only then is the name copied and lower-cased.
  if (!sameLength || !HAS_UPPER.test(s.slice(start, end))) return undefined;
  const lower = s.slice(start, end).toLowerCase();
  return WANTED.find((name) => name === lower);
}

const HAS_UPPER = /[A-Z]/;

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function severityOfType(type: string | undefined): Severity | undefined {
  switch (type) {
    case '1': return 'info';
    case '2': return 'warning';
    case '3': return 'error';
    default: return undefined;
  }
}

/**
 * The older SMS 2003 / ConfigMgr 2007 server format: `message $$<Component><date time><thread=1234 (0x4D2)>`.
 */
export function parseLegacySmsLine(line: string): CmtraceParts | undefined {
  const at = line.lastIndexOf('$$<');
  if (at < 0) return undefined;
  const m = /^\$\$<([^>]{1,80})><([^>]{1,80})><thread=(\d+)/.exec(line.slice(at));
  if (!m) return undefined;
  return { message: line.slice(0, at).trimEnd(), component: m[1]?.trim(), thread: m[3] };
}

/**
 * Server log lines as Microsoft's troubleshooting articles print them, component and thread
 * first: `SMS_DISTRIBUTION_MANAGER 5800 (0x16a8) ~Processing package ...`. The component must
 * be an upper-case service name (or `SMS Provider`), so a sentence never reads as one.
 */
const THREAD_PREFIX = /^(SMS Provider|SMS_[A-Z0-9_]{2,60}|[A-Z][A-Z0-9_]{2,60}_[A-Z0-9_]{2,60}) (\d{1,6}) \((0x[0-9a-fA-F]{1,8})\) ?/;

export function parseThreadPrefixLine(line: string): CmtraceParts | undefined {
  const m = THREAD_PREFIX.exec(line);
  if (!m) return undefined;
  return { message: line.slice(m[0].length).trim(), component: m[1], thread: m[2] };
}

/**
 * What CMTrace copies to the clipboard: `message␉component␉3/25/2010 12:31:21 AM␉2096 (0x0830)`,
 * or with spaces instead of tabs and no component, as KB articles print it.
 * Only the last 100 characters are examined, so a huge line costs nothing.
 */
const CLIPBOARD_TAIL = /(?:^|[\t ])(\d{1,2}\/\d{1,2}\/\d{4}[\t ]+\d{1,2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:[\t ]?[AP]M)?)[\t ]+(\d{1,6})[\t ]+\((0x[0-9a-f]{1,8})\)[\t ]*$/i;

export function parseClipboardLine(line: string): CmtraceParts | undefined {
  if (!line.endsWith(')') && !/\)[\t ]*$/.test(line.slice(-4))) return undefined;
  const tailStart = Math.max(0, line.length - 100);
  const tail = line.slice(tailStart);
  const m = CLIPBOARD_TAIL.exec(tail);
  if (!m) return undefined;
  let head = line.slice(0, tailStart + m.index).replace(/[\t ]+$/, '');
  let component: string | undefined;
  const tab = head.lastIndexOf('\t');
  if (tab >= 0) {
    const candidate = head.slice(tab + 1).trim();
    if (/^[\w .-]{1,60}$/.test(candidate)) {
      component = candidate;
      head = head.slice(0, tab).trimEnd();
    }
  }
  return { message: head, component, thread: m[2] };
}
