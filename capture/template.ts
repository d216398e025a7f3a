/**
 * Log templates: a log line with the parts that change from one machine or one run to the
 * next masked, so that the same failure pasted by three engineers reads as one line. This is
 * what log-template miners such as Drain do with their masking step; there is no tree here
 * because a paste is small and the review only needs equal templates to be equal strings.
 *
 * What is masked, and why:
 * - GUIDs, times, dates, IP addresses, SIDs, hashes and other hex values, decimal numbers,
 *   package and deployment IDs (`PS100045` → `<pkg>`), host names, and identifiers with digits
 *   in them (`WKS0421`, `W3SVC1`): they name a run, a machine or a moment, never a cause.
 * - Paths keep only their file extension (`C:\Windows\ccmcache\7\OSDResults.exe.config` →
 *   `<path>.config`) and URLs their scheme, first folder and extension
 *   (`http://<host>/SMS_DP_SMSPKG$/<path>.config`): the extension and the virtual directory
 *   often decide the cause (request filtering, WebDAV), the file name rarely does.
 * - Redaction placeholders lose their number (`<host-1>` → `<host>`), so that two pastes
 *   redacted separately still agree.
 * - CMTrace wrappers are reduced to the component and the message; the time, thread and
 *   source file attributes change on every line.
 *
 * What is kept, because it diagnoses:
 * - Failure codes: `0x8…`/`0xC…` HRESULTs with eight hex digits (`0x80070005`, written in the
 *   KB's upper-case form), eight hex digits after `error`/`hr=`/`code` (`error 80072EE2`), and
 *   signed decimal HRESULTs (`-2147024891`). `0x00000000` is kept too: "Result 0x00000000"
 *   is a fixed phrase, and a success line must not look like a failure.
 * - HTTP statuses: `404.7`; a 1xx–5xx number after `HTTP`, `status`, `code` (`HTTP status 404`,
 *   `status code: 500`); and in IIS W3C lines the status, substatus and Win32 status columns
 *   (`404 7 0`), which are the line's diagnosis.
 * - Event IDs after `event id`, and numbers of up to five digits after `error`, `code` or
 *   `hr=` (`error 5`, `exit code 1603`): the number is the message.
 *
 * Every step is one left-to-right pass of regular expressions whose alternatives start on
 * different characters and whose repeated parts cannot overlap, and a line is cut to
 * MAX_TEMPLATE_INPUT characters first, so a template costs time linear in the paste.
 */
import { extractFacts } from '../matchers/facts/extract-facts';
import { formatCode, isFailureCode } from '../matchers/facts/codes';
import { createLogParser } from '../matchers/parse/log-parser';
import { splitLines } from '../matchers/split-lines';
import type { LogRecord, RecordFacts } from '../matchers/types';

/** Characters of a message that are templated; the rest of a longer message adds nothing a reviewer needs. */
export const MAX_TEMPLATE_INPUT = 1_000;
/** How many of a paste's telling lines make its group key. */
export const KEY_TEMPLATES = 3;

/** A redaction placeholder (`<host-1>`, `<user-2>`) or a hand-written one (`<DP_Server>`, `<GUID>`). */
const PLACEHOLDER_SRC = '<[A-Za-z][A-Za-z_]{0,30}(?:-\\d{1,6})?>';
/** One character of a URL or path, or a whole placeholder inside it. */
const PATH_CHAR = `(?:${PLACEHOLDER_SRC}|[^\\s'"<>|])`;

/**
 * The masking pass. Each alternative starts on a character class the ones before it would
 * not have consumed at that position (or is guarded by a look-behind that fails at once
 * inside a word), so the engine never retries a long run from many starting points.
 */
const MASK = new RegExp([
  `(?<placeholder>${PLACEHOLDER_SRC})`,
  `(?<url>\\b[A-Za-z][A-Za-z0-9+.-]{1,10}://${PATH_CHAR}*)`,
  `(?<unc>\\\\\\\\${PATH_CHAR}+)`,
  `(?<drive>(?<![\\w])[A-Za-z]:[\\\\/]${PATH_CHAR}*)`,
  `(?<guid>\\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\\}?)`,
  `(?<datetime>(?<![\\w.])\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?(?![\\w])|(?<![\\w./])\\d{1,2}[/-]\\d{1,2}[/-]\\d{2,4}(?![\\w/]))`,
  `(?<time>(?<![\\w.:])\\d{1,2}:\\d{2}(?::\\d{2})?(?:[.,]\\d{1,7})?(?:[+-]\\d{1,4})?(?:\\s?[AaPp][Mm]\\b)?(?![\\w:]))`,
  `(?<ip>(?<![\\w.])\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?(?![\\w.]))`,
  `(?<sid>\\bS-1-\\d{1,3}(?:-\\d{1,10}){1,14}(?![\\w-]))`,
  `(?<hex0x>(?<![\\w])0[xX][0-9A-Fa-f]+L?(?![\\w]))`,
  `(?<webpath>(?<![\\w/.:-])/[\\w$.%~-]+(?:/${PATH_CHAR}*)?)`,
  `(?<word>[A-Za-z0-9_][\\w.$-]*)`,
].join('|'), 'g');

const FAILURE_HEX_8 = /^[89A-Fa-f][0-9A-Fa-f]{7}$/;
const PACKAGE_ID = /^[A-Z][A-Z0-9]{2}[0-9A-F]{5}$/;
const DOMAIN_END = /\.(?:com|net|org|local|lan|corp|internal|intra|example|test|[a-z]{2})$/i;
/** A file name's extension: letters and digits after the last dot, with at least one letter. */
const EXTENSION = /\.([A-Za-z0-9]{1,8})$/;
/** Words after which a number is the diagnosis (an HTTP status, a Windows error, an event ID). */
const STATUS_CONTEXT = /(?:\bhttp(?:\/\d\.\d)?|\bstatus|\bstatuscode|\bcode)\s*[:=]?\s*$/i;
const ERROR_CONTEXT = /(?:\berror|\berr|\bcode|\bevent id|\beventid|\bhr|\bhresult|\breturned|\bfailed with)\s*[:=]?\s*$/i;
/** Look-back for those contexts: the longest phrase plus separators. */
const CONTEXT_CHARS = 24;

/**
 * The run of `chars` that ends `s` (sentence punctuation after a URL or a word). A loop from
 * the end rather than `/[.,;]+$/`, which retries from every character of a long run.
 */
function trailing(s: string, chars: string): string {
  let i = s.length;
  while (i > 0 && chars.includes(s.charAt(i - 1))) i--;
  return s.slice(i);
}

const AFTER_VALUE = '.,;:)]}';
const AFTER_WORD = '.,;:!?-';

function extensionOf(value: string): string {
  const parts = value.split(/[\\/]/);
  let last = '';
  for (let k = parts.length - 1; k >= 0 && last === ''; k--) last = parts[k] as string;
  const m = EXTENSION.exec(last.replace(/[?#].*$/, ''));
  return m && /[A-Za-z]/.test(m[1] as string) ? `.${(m[1] as string).toLowerCase()}` : '';
}

/** `http://<host>/SMS_DP_SMSPKG$/<path>.config`: the scheme, the first folder when it is a word, and the extension. */
function urlShape(url: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/.exec(url);
  if (!m) return '<url>';
  const scheme = (m[1] as string).toLowerCase();
  const path = m[3] ?? '';
  return `${scheme}://<host>${webPathShape(path)}`;
}

/** `/SMS_DP_SMSPKG$/PS100031/Tools/a.exe.config` → `/SMS_DP_SMSPKG$/<path>.config`. */
function webPathShape(path: string): string {
  if (path === '' || path === '/') return path;
  const segments = path.split('/').filter((s) => s.length > 0);
  // `SMS_DP_SMSPKGD$` is the package share on drive D: the drive is the server's, not the cause.
  const first = (segments[0] ?? '').replace(/^SMS_DP_SMSPKG[A-Z]\$$/i, 'SMS_DP_SMSPKG$');
  const keepFirst = /^[A-Za-z_][A-Za-z_$]*\$?$/.test(first) && first.length <= 40;
  if (segments.length === 1) return keepFirst && extensionOf(first) === '' ? `/${first}` : `/<file>${extensionOf(first)}`;
  return `${keepFirst ? `/${first}` : ''}/<path>${extensionOf(path)}`;
}

/** A run of word characters: a code, a status, a package ID, a host name, a file name, a number, or a word. */
function maskWord(word: string, before: string): string {
  // Trailing sentence punctuation is not part of the value.
  const trail = trailing(word, AFTER_WORD);
  const core = trail.length > 0 ? word.slice(0, -trail.length) : word;
  if (core.length === 0) return word;
  const out = maskCore(core, before);
  return out + trail;
}

const GUID_IN_WORD = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/g;

function maskCore(core: string, before: string): string {
  // `Content_7b0b6e1c-…-0a6e3c0f6b8e.1`: an ID built on a GUID.
  if (core.length >= 36 && GUID_IN_WORD.test(core)) {
    GUID_IN_WORD.lastIndex = 0;
    return core.replace(GUID_IN_WORD, '<guid>').replace(/\d+/g, '<num>');
  }
  GUID_IN_WORD.lastIndex = 0;
  if (/^\d+$/.test(core)) {
    const n = Number(core);
    if (core.length === 3 && n >= 100 && n <= 599 && STATUS_CONTEXT.test(before)) return core;
    if (core.length <= 5 && ERROR_CONTEXT.test(before)) return core;
    return '<num>';
  }
  if (FAILURE_HEX_8.test(core) && /[0-9]/.test(core) && ERROR_CONTEXT.test(before)) return core.toUpperCase();
  if (/^-?\d+(?:\.\d+)+$/.test(core)) {
    // `404.7` is IIS's status and substatus wherever it stands (4xx and 5xx statuses IIS uses);
    // `10.0.17763` and `537.36` are versions.
    if (/^(?:4[0-5]\d|5[01]\d)\.\d{1,3}$/.test(core)) return core;
    return '<num>';
  }
  if (PACKAGE_ID.test(core) && /\d/.test(core.slice(3))) return '<pkg>';
  // `PS100045.3`: a package and its version.
  const pkgVersion = /^([A-Z][A-Z0-9]{2}[0-9A-F]{5})\.\d+$/.exec(core);
  if (pkgVersion && /\d/.test((pkgVersion[1] as string).slice(3))) return '<pkg>.<num>';
  if (/^[0-9A-Fa-f]{16,}$/.test(core) && /\d/.test(core)) return '<hex>';
  if (core.includes('.')) {
    if (/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+){2,}$/.test(core) && DOMAIN_END.test(core) && /[A-Za-z]/.test(core)) return '<host>';
    // `contoso.com`, and what the redactor leaves after a host placeholder (`<host-1>.cloudapp.net`).
    if (/^[A-Za-z0-9-]+\.(?:com|net|org)$/i.test(core)) return '<host>';
    const ext = extensionOf(core);
    const stem = ext.length > 0 ? core.slice(0, -ext.length) : core;
    // `setup.exe`, `OSDResults.exe.config`, `smsts.log`: a file named in passing.
    if (ext.length > 0 && /[A-Za-z]/.test(stem)) return `<file>${ext}`;
    return core.split('.').map((part) => maskCore(part, '')).join('.');
  }
  if (/\d/.test(core) && /[A-Za-z]/.test(core)) {
    // `WKS0421`, `DP01`, `W3SVC1`, `x64`: identifiers, not words. `Win32`-like words are masked
    // too; they read the same in every paste, so grouping does not suffer.
    const transitions = (core.match(/\d(?=[A-Za-z])|[A-Za-z](?=\d)/g) ?? []).length;
    if (transitions >= 2 || /\d{2,}$/.test(core) || /^\d/.test(core)) return '<id>';
    return core.replace(/\d+/g, '<num>');
  }
  if (/^\d/.test(core)) return core.replace(/\d+/g, '<num>');
  return core;
}

function maskHex(token: string, before: string): string {
  const digits = token.replace(/^0[xX]/, '').replace(/L$/, '');
  if (digits.length === 8) {
    const value = Number.parseInt(digits, 16);
    if (isFailureCode(value) || value === 0) return formatCode(value);
  }
  // Short hex after `error` is a Win32 error in hex (`error 0x5`): keep it.
  if (digits.length <= 4 && ERROR_CONTEXT.test(before)) return `0x${digits.toUpperCase()}`;
  return '<hex>';
}

/**
 * The template of one message (a record's text without its log wrapper). Masks the variable
 * parts as described at the top of this file and collapses runs of spaces.
 */
export function messageTemplate(message: string): string {
  const text = message.length > MAX_TEMPLATE_INPUT ? message.slice(0, MAX_TEMPLATE_INPUT) : message;
  MASK.lastIndex = 0;
  const out = text.replace(MASK, (match: string, ...rest: unknown[]) => {
    const groups = rest[rest.length - 1] as Record<string, string | undefined>;
    const offset = rest[rest.length - 3] as number;
    const before = text.slice(Math.max(0, offset - CONTEXT_CHARS), offset);
    if (groups['placeholder'] !== undefined) {
      const kind = /^<([A-Za-z][A-Za-z_]*?)(?:-\d+)?>$/.exec(match)?.[1] ?? 'value';
      return `<${kind.toLowerCase()}>`;
    }
    if (groups['url'] !== undefined) {
      const trail = trailing(match, AFTER_VALUE);
      return urlShape(trail.length > 0 ? match.slice(0, -trail.length) : match) + trail;
    }
    if (groups['unc'] !== undefined) return `\\\\<host>\\<path>${extensionOf(match.slice(0, match.length - trailing(match, AFTER_VALUE).length))}`;
    if (groups['drive'] !== undefined) {
      const trail = trailing(match, AFTER_VALUE);
      return `<path>${extensionOf(trail.length > 0 ? match.slice(0, -trail.length) : match)}${trail}`;
    }
    if (groups['guid'] !== undefined) return '<guid>';
    if (groups['datetime'] !== undefined) return '<date>';
    if (groups['time'] !== undefined) return '<time>';
    if (groups['ip'] !== undefined) return '<ip>';
    if (groups['sid'] !== undefined) return '<sid>';
    if (groups['hex0x'] !== undefined) return maskHex(match, before);
    if (groups['webpath'] !== undefined) {
      const trail = trailing(match, AFTER_VALUE);
      return webPathShape(trail.length > 0 ? match.slice(0, -trail.length) : match) + trail;
    }
    if (groups['word'] !== undefined) {
      // Signed decimal HRESULTs (`-2147024891`): the minus sign is just before the word.
      if (/^\d{10}$/.test(match) && text[offset - 1] === '-' && /^21\d{8}$/.test(match)) return match;
      return maskWord(match, before);
    }
    return match;
  });
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * The template of a parsed record. IIS W3C lines become their method, URL shape, status,
 * substatus, Win32 status and user agent (with version numbers masked): the other columns are
 * times, addresses and durations. CMTrace records put their component first, in brackets.
 */
export function recordTemplate(record: LogRecord): string {
  const f = record.fields;
  if (record.format === 'iis' && f !== undefined && f['status'] !== undefined) {
    const parts = [
      'IIS',
      f['method'] ?? '-',
      f['uri'] !== undefined ? webPathShape(f['uri']) : '-',
      f['status'],
      f['substatus'] ?? '-',
      f['win32'] ?? '-',
      f['user-agent'] !== undefined ? messageTemplate(f['user-agent'].replace(/\+/g, ' ')) : '-',
    ];
    return parts.join(' ');
  }
  const message = messageTemplate(record.text);
  return record.component !== undefined ? `[${record.component}] ${message}` : message;
}

/** The template of one line as pasted: CMTrace, CMTrace clipboard, IIS, bitsadmin or plain text. */
export function lineTemplate(line: string): string {
  const parser = createLogParser();
  const records = [...parser.push(line), ...parser.end()];
  return records.map(recordTemplate).join(' ');
}

/** One record of a paste with what the review needs of it. */
export interface TemplatedRecord {
  record: LogRecord;
  facts: RecordFacts;
  template: string;
  /** How strongly the line points at the failure: 0 for an ordinary line. */
  telling: number;
}

/** The Windows-authentication handshake: every healthy distribution point logs these. */
const HANDSHAKE = new Set(['401.1', '401.2']);
const FAILURE_WORDS = /\b(?:fail(?:ed|ure|s)?|error|unable|cannot|can't|could not|couldn't|denied|timed? ?out|not found|refused|mismatch|abort(?:ed)?|cancel+ed)\b/i;

/**
 * How telling a record is: an error-severity line, a failure code, an HTTP error, a warning,
 * failure words. Ordinary progress lines score 0 and never make a group key.
 */
export function tellingScore(record: LogRecord, facts: RecordFacts): number {
  let score = 0;
  if (record.severity === 'error') score += 3;
  else if (record.severity === 'warning') score += 1;
  if (facts.codes.some((c) => isFailureCode(c.value))) score += 3;
  if (facts.http.some((h) => h.status >= 400 && !HANDSHAKE.has(`${h.status}.${h.substatus ?? ''}`))) score += 3;
  if (FAILURE_WORDS.test(record.text)) score += 1;
  // IIS marks every 4xx as an error; a 401 handshake line is not one.
  if (record.format === 'iis' && facts.http.every((h) => h.status < 400 || HANDSHAKE.has(`${h.status}.${h.substatus ?? ''}`))) score = 0;
  return score;
}

/** What a paste shares with other pastes of the same failure. */
export interface PasteKey {
  /** Templates of its most telling lines (at most KEY_TEMPLATES), sorted. */
  templates: string[];
  /** Failure codes, `0x8…` upper case as the KB writes them, sorted. */
  codes: string[];
  /** HTTP error statuses, `404` or `404.7`, sorted. */
  statuses: string[];
  /** Log formats seen, sorted. */
  formats: string[];
  /** The telling records, most telling first (ties in paste order). */
  telling: TemplatedRecord[];
  /** The key as one string: equal for pastes that should be reviewed together. */
  key: string;
}

/**
 * Parses a paste and reduces it to its key: the set of templates of its most telling lines,
 * plus its codes and statuses. One pass over the lines; each record is templated once.
 */
export function pasteKey(text: string, options: { fileName?: string } = {}): PasteKey {
  const parser = createLogParser({ fileName: options.fileName });
  const records: LogRecord[] = [];
  for (const line of splitLines(text)) records.push(...parser.push(line));
  records.push(...parser.end());
  const codes = new Set<string>();
  const statuses = new Set<string>();
  const formats = new Set<string>();
  const telling: TemplatedRecord[] = [];
  for (const record of records) {
    if (record.text.trim().length === 0) continue;
    formats.add(record.format);
    const facts = extractFacts(record);
    for (const c of facts.codes) if (isFailureCode(c.value)) codes.add(formatCode(c.value));
    for (const h of facts.http) {
      const s = h.substatus !== undefined && h.substatus !== 0 ? `${h.status}.${h.substatus}` : `${h.status}`;
      if (h.status >= 400 && !HANDSHAKE.has(`${h.status}.${h.substatus ?? ''}`)) statuses.add(s);
    }
    const score = tellingScore(record, facts);
    if (score > 0) telling.push({ record, facts, template: recordTemplate(record), telling: score });
  }
  // Stable sort: equal scores stay in paste order.
  telling.sort((a, b) => b.telling - a.telling);
  const templates: string[] = [];
  for (const t of telling) {
    if (templates.length >= KEY_TEMPLATES) break;
    if (!templates.includes(t.template)) templates.push(t.template);
  }
  templates.sort();
  const key = {
    templates,
    codes: [...codes].sort(),
    statuses: [...statuses].sort(),
    formats: [...formats].sort(),
  };
  return { ...key, telling, key: `t:${templates.join('\n')}|c:${key.codes.join(',')}|s:${key.statuses.join(',')}` };
}
