import type { LogRecord, RecordFacts } from '../types';
import { extractCodes } from './codes';
import { extractEvents } from './events';
import { extractHttp, httpStatusOfBitsCode } from './http';
import { extractPaths } from './paths';

/** ConfigMgr package IDs: a three-character site code and five hex digits (`PS100123`, `C0100978`). */
const PACKAGE_ID = /(?<![\w${-])([A-Z][A-Z0-9]{2}[0-9A-F]{5})(?![\w-])/g;

export function extractFacts(record: LogRecord): RecordFacts {
  const text = record.text;
  const codes = extractCodes(text);
  const http = extractHttp(record);
  for (const c of codes) {
    const status = httpStatusOfBitsCode(c.value);
    if (status !== undefined && !http.some((h) => h.status === status)) http.push({ status });
  }
  const packages: string[] = [];
  for (const m of text.matchAll(PACKAGE_ID)) {
    const id = m[1] as string;
    if (/\d/.test(id.slice(3)) && !packages.includes(id)) packages.push(id);
  }
  return { codes, http, paths: extractPaths(record), events: extractEvents(record), packages };
}
