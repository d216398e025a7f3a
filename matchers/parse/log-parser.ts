import type { LogFormat, LogRecord, Severity } from '../types';
import { parseBitsadminLine } from './bitsadmin';
import { CMTRACE_CLOSE, CMTRACE_OPEN, parseClipboardLine, parseThreadPrefixLine, parseCmtraceRecord, parseLegacySmsLine } from './cmtrace';
import { eventSeverity, isEventBlockStart, parseEventKeyLine } from './eventlog';
import { iisColumns, parseByShape, parseFieldsHeader, parseWithColumns, type IisColumns, type IisFields } from './iis';
import { logForComponent, logForFileName, SMSTS_TRAILING_COMPONENTS } from './log-names';
import { normalizeLine } from './normalize';

/**
 * Turns lines into records, one line at a time, so that a 100 MB file is parsed without
 * holding it. Formats are recognised per line or block and may be mixed in one paste;
 * anything unrecognised becomes a `text` record, so parsing never fails.
 */
export interface LogParser {
  /** Feed the next line (without its line break); returns the records it completed. */
  push(line: string): LogRecord[];
  /** Flush whatever is still open at the end of the input. */
  end(): LogRecord[];
  /** Number of lines fed so far. */
  readonly lineCount: number;
  /** Records seen per format. */
  readonly formatCounts: ReadonlyMap<LogFormat, number>;
}

export interface LogParserOptions {
  /** File name of the input, used to tell which log plain lines come from. */
  fileName?: string;
  /** A multi-line CMTrace record or event longer than this is cut into plain lines. */
  maxRecordLines?: number;
}

interface Pending {
  kind: 'cmtrace' | 'event';
  start: number;
  lines: string[];
  fields: Record<string, string>;
  description: string[];
}

/**
 * "CAS.log:", "SMSTS.log file:". Written so that each run of spaces can be read only one
 * way: `\s*(?:file)?\s*:?\s*$` matches the same lines but backtracks in cubic time on a
 * long run of spaces that does not end the line.
 */
const LOG_HEADING = /^\s*([A-Za-z][\w.-]{0,60}\.log)(?:\s*file)?(?:\s*:)?\s*$/i;
const PROSE_LOG_MENTION = /\b([A-Za-z][\w-]{1,40}\.log)\b[^:]{0,60}:\s*$/i;

export function createLogParser(options: LogParserOptions = {}): LogParser {
  const maxRecordLines = options.maxRecordLines ?? 400;
  const fileLog = options.fileName ? logForFileName(options.fileName) : undefined;
  let currentLog = fileLog;
  let iisFields: IisColumns | undefined;
  let lineNo = 0;
  let pending: Pending | undefined;
  const formatCounts = new Map<LogFormat, number>();

  // Component → log name, remembered per parser: a log repeats a handful of components
  // on every line, and the lookup runs a list of patterns.
  const componentLogs = new Map<string, string>();
  const logOfComponent = (component: string): string => {
    let log = componentLogs.get(component);
    if (log === undefined) {
      log = logForComponent(component);
      if (componentLogs.size < 512) componentLogs.set(component, log);
    }
    return log;
  };

  const record = (r: LogRecord): LogRecord => {
    formatCounts.set(r.format, (formatCounts.get(r.format) ?? 0) + 1);
    return r;
  };

  const textRecord = (line: number, text: string): LogRecord =>
    record({ line, endLine: line, text, format: 'text', log: currentLog });

  function flushPending(): LogRecord[] {
    const p = pending;
    pending = undefined;
    if (!p) return [];
    if (p.kind === 'cmtrace') {
      // An unterminated CMTrace record: keep its lines as plain text rather than lose them.
      return p.lines.map((l, i) => textRecord(p.start + i, l.trim())).filter((r) => r.text.length > 0);
    }
    const source = p.fields['event source'] ?? p.fields['source'];
    const description = p.description.join(' ').trim();
    const idText = p.fields['event id'];
    const summary = [
      source ? `Event Source: ${source}` : '',
      idText ? `Event ID: ${idText}` : '',
      description,
    ].filter((s) => s.length > 0).join(' | ');
    return [record({
      line: p.start,
      endLine: p.start + p.lines.length - 1,
      text: summary,
      format: 'eventlog',
      log: 'EventLog',
      severity: eventSeverity(p.fields),
      fields: p.fields,
    })];
  }

  function cmtraceRecord(start: number, end: number, joined: string): LogRecord | undefined {
    const parts = parseCmtraceRecord(joined);
    if (!parts) return undefined;
    const component = parts.component;
    return record({
      line: start,
      endLine: end,
      text: joinMessageLines(parts.message),
      format: 'cmtrace',
      log: component ? logOfComponent(component) : currentLog,
      component,
      severity: parts.severity,
    });
  }

  function iisRecord(n: number, line: string, f: IisFields): LogRecord {
    const severity: Severity = f.status >= 400 ? 'error' : 'info';
    const fields: Record<string, string> = { method: f.method, uri: f.uri, status: String(f.status) };
    if (f.query !== undefined) fields['query'] = f.query;
    if (f.substatus !== undefined) fields['substatus'] = String(f.substatus);
    if (f.win32 !== undefined) fields['win32'] = String(f.win32);
    if (f.userAgent !== undefined) fields['user-agent'] = f.userAgent;
    return record({ line: n, endLine: n, text: line.trim(), format: 'iis', log: 'IIS', severity, fields });
  }

  function parseSingle(n: number, raw: string): LogRecord[] {
    const line = normalizeLine(raw);
    const trimmed = line.trim();
    if (trimmed.length === 0) return [];

    const openAt = line.indexOf(CMTRACE_OPEN);
    if (openAt >= 0) {
      const closeAt = line.indexOf(CMTRACE_CLOSE, openAt);
      if (closeAt >= 0) {
        const r = cmtraceRecord(n, n, line);
        if (r) return [r];
      } else {
        pending = { kind: 'cmtrace', start: n, lines: [line], fields: {}, description: [] };
        return [];
      }
    }

    if (isEventBlockStart(line)) {
      const kv = parseEventKeyLine(line);
      pending = { kind: 'event', start: n, lines: [line], fields: {}, description: [] };
      if (kv) pending.fields[kv.key] = kv.value;
      return [];
    }

    if (trimmed.startsWith('#')) {
      const header = parseFieldsHeader(trimmed);
      if (header) {
        iisFields = iisColumns(header);
        currentLog = 'IIS';
      }
      return [textRecord(n, trimmed)];
    }

    const iis = (iisFields ? parseWithColumns(trimmed, iisFields) : undefined) ?? parseByShape(trimmed);
    if (iis) return [iisRecord(n, trimmed, iis)];

    const bits = parseBitsadminLine(trimmed);
    if (bits) {
      return [record({
        line: n, endLine: n, text: trimmed, format: 'bitsadmin', log: 'BITS', severity: bits.severity,
        fields: { key: bits.key, value: bits.value },
      })];
    }

    const legacy = parseLegacySmsLine(trimmed) ?? parseClipboardLine(line) ?? parseThreadPrefixLine(trimmed);
    if (legacy) {
      const component = legacy.component;
      return [record({
        line: n,
        endLine: n,
        text: legacy.message.trim(),
        format: 'cmtrace-clipboard',
        log: component ? logOfComponent(component) : currentLog,
        component,
      })];
    }

    const heading = LOG_HEADING.exec(trimmed) ?? (trimmed.endsWith(':') ? PROSE_LOG_MENTION.exec(trimmed) : null);
    if (heading && heading[1] !== undefined) {
      const log = logForFileName(heading[1]);
      if (log !== undefined) currentLog = log;
      return [textRecord(n, trimmed)];
    }

    const lastSpace = trimmed.lastIndexOf(' ');
    if (lastSpace > 0) {
      const component = trimmed.slice(lastSpace + 1);
      if (SMSTS_TRAILING_COMPONENTS.has(component.toLowerCase())) {
        return [record({
          line: n, endLine: n, text: trimmed.slice(0, lastSpace).trimEnd(), format: 'cmtrace-clipboard',
          log: 'SMSTS', component,
        })];
      }
    }
    return [textRecord(n, trimmed)];
  }

  function push(raw: string): LogRecord[] {
    const n = ++lineNo;
    const p = pending;
    if (p?.kind === 'cmtrace') {
      const line = normalizeLine(raw);
      p.lines.push(line);
      if (line.includes(CMTRACE_CLOSE)) {
        pending = undefined;
        const r = cmtraceRecord(p.start, n, p.lines.join('\n'));
        if (r) return [r];
        return p.lines.map((l, i) => textRecord(p.start + i, l.trim())).filter((x) => x.text.length > 0);
      }
      if (p.lines.length >= maxRecordLines) return flushPending();
      return [];
    }
    if (p?.kind === 'event') {
      const line = normalizeLine(raw);
      const kv = parseEventKeyLine(line);
      if (kv && p.description.length === 0) {
        p.lines.push(line);
        if (kv.key !== 'description' || kv.value.length > 0) p.fields[kv.key] = kv.value;
        if (kv.key === 'description' && kv.value.length > 0) p.description.push(kv.value);
        return [];
      }
      const trimmed = line.trim();
      const ends = trimmed.length === 0
        ? p.description.length > 0
        : isEventBlockStart(line) || line.includes(CMTRACE_OPEN) || p.lines.length >= Math.min(maxRecordLines, 40);
      if (!ends) {
        p.lines.push(line);
        if (trimmed.length > 0) p.description.push(trimmed);
        return [];
      }
      const done = flushPending();
      return done.concat(parseSingle(n, raw));
    }
    return parseSingle(n, raw);
  }

  return {
    push,
    end: flushPending,
    get lineCount() {
      return lineNo;
    },
    formatCounts,
  };
}

/** A multi-line CMTrace message on one line; single-line messages (nearly all) only need trimming. */
function joinMessageLines(message: string): string {
  if (message.indexOf('\n') < 0 && message.indexOf('\r') < 0) return message.trim();
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
