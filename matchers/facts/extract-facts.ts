import type { LogRecord, RecordFacts } from '../types';
import { extractCodes } from './codes';
import { extractEvents } from './events';
import { extractHttp, httpStatusOfBitsCode } from './http';
import { extractPaths } from './paths';

/**
 * ConfigMgr package IDs: a three-character site code and five hex digits (`PS100123`,
 * `C0100978`), not inside a longer token: /(?<![\w${-])([A-Z][A-Z0-9]{2}[0-9A-F]{5})(?![\w-])/.
 * The look-behind is checked by hand on each hit instead, because a look-behind at the
 * start makes the engine try every position of the line. A hit refused for that reason
 * lies inside a run of word characters, where no other hit can start, so resuming after
 * it finds the same IDs. (A hand-written loop over the characters was measured too: the
 * regex engine, which skips ahead on this fixed-length pattern, is about twice as fast.)
 */
const PACKAGE_ID = /[A-Z][A-Z0-9]{2}[0-9A-F]{5}(?![\w-])/g;
const BEFORE_PACKAGE_ID = /[\w${-]/;

export function extractPackageIds(text: string): string[] {
  const packages: string[] = [];
  PACKAGE_ID.lastIndex = 0;
  for (let m = PACKAGE_ID.exec(text); m !== null; m = PACKAGE_ID.exec(text)) {
    const at = m.index ?? 0;
    if (at > 0 && BEFORE_PACKAGE_ID.test(text.charAt(at - 1))) continue;
    const id = m[0];
    if (/\d/.test(id.slice(3)) && !packages.includes(id)) packages.push(id);
  }
  return packages;
}

export function extractFacts(record: LogRecord): RecordFacts {
  const text = record.text;
  const codes = extractCodes(text);
  const http = extractHttp(record);
  for (const c of codes) {
    const status = httpStatusOfBitsCode(c.value);
    if (status !== undefined && !http.some((h) => h.status === status)) http.push({ status });
  }
  const packages = extractPackageIds(text);
  return { codes, http, paths: extractPaths(record), events: extractEvents(record), packages };
}
