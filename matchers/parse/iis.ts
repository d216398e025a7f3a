/**
 * IIS W3C extended log lines. With a `#Fields:` header the fields are taken from it;
 * without one the line is recognised by its shape (an HTTP method followed by a path,
 * and status, substatus, win32 status at the end), which also covers pastes whose date
 * and time columns are missing or replaced by placeholders such as `<GMT_Date>`.
 */

const METHODS = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'PROPPATCH', 'MKCOL',
  'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'BITS_POST', 'CCM_POST', 'RPC_IN_DATA', 'RPC_OUT_DATA', 'PATCH',
]);
const SMALL_INTEGER = /^\d{1,10}$/;
const WHITE_SPACE = /\s+/;

export interface IisFields {
  method: string;
  uri: string;
  query?: string;
  status: number;
  substatus?: number;
  win32?: number;
  userAgent?: string;
  clientIp?: string;
  serverIp?: string;
}

/** Placeholders engineers and KB articles put in place of empty W3C fields. */
function isEmpty(token: string | undefined): boolean {
  return token === undefined || token === '-' || token === '' || token === '\u2013';
}

function intOrUndefined(token: string | undefined): number | undefined {
  if (token === undefined || !SMALL_INTEGER.test(token)) return undefined;
  return Number(token);
}

export function parseFieldsHeader(line: string): string[] | undefined {
  const m = /^#Fields:\s*(.*)$/i.exec(line.trim());
  if (!m || m[1] === undefined) return undefined;
  const names = m[1].trim().split(/\s+/).filter((n) => n.length > 0);
  return names.length > 0 ? names : undefined;
}

/** Where the fields this parser reads sit in a `#Fields:` header (-1 when absent): found once per header, not per line. */
export interface IisColumns {
  count: number;
  method: number;
  uri: number;
  query: number;
  status: number;
  substatus: number;
  win32: number;
  userAgent: number;
  clientIp: number;
  serverIp: number;
}

export function iisColumns(names: readonly string[]): IisColumns {
  return {
    count: names.length,
    method: names.indexOf('cs-method'),
    uri: names.indexOf('cs-uri-stem'),
    query: names.indexOf('cs-uri-query'),
    status: names.indexOf('sc-status'),
    substatus: names.indexOf('sc-substatus'),
    win32: names.indexOf('sc-win32-status'),
    userAgent: names.indexOf('cs(User-Agent)'),
    clientIp: names.indexOf('c-ip'),
    serverIp: names.indexOf('s-ip'),
  };
}

export function parseWithHeader(line: string, names: readonly string[]): IisFields | undefined {
  return parseWithColumns(line, iisColumns(names));
}

export function parseWithColumns(line: string, c: IisColumns): IisFields | undefined {
  const tokens = line.trim().split(WHITE_SPACE);
  if (tokens.length !== c.count) return undefined;
  const method = tokens[c.method];
  const uri = tokens[c.uri];
  const status = intOrUndefined(tokens[c.status]);
  if (method === undefined || uri === undefined || status === undefined) return undefined;
  const query = tokens[c.query];
  return {
    method,
    uri,
    query: isEmpty(query) ? undefined : query,
    status,
    substatus: intOrUndefined(tokens[c.substatus]),
    win32: intOrUndefined(tokens[c.win32]),
    userAgent: tokens[c.userAgent],
    clientIp: tokens[c.clientIp],
    serverIp: tokens[c.serverIp],
  };
}

/** Recognise a W3C line in the default IIS field order, with or without date, time and referer. */
export function parseByShape(line: string): IisFields | undefined {
  const tokens = line.trim().split(WHITE_SPACE);
  if (tokens.length < 8 || tokens.length > 30) return undefined;
  let m = -1;
  for (let i = 0; i < Math.min(tokens.length - 1, 7); i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t !== undefined && METHODS.has(t) && next !== undefined && next.startsWith('/')) {
      m = i;
      break;
    }
  }
  if (m < 0) return undefined;
  // The numeric tail: status substatus win32, then optional sc-bytes cs-bytes time-taken.
  const tail: number[] = [];
  for (let i = tokens.length - 1; i > m + 1 && tail.length < 6; i--) {
    const n = intOrUndefined(tokens[i]);
    if (n === undefined) break;
    tail.unshift(n);
  }
  let statusAt = -1;
  for (let i = 0; i + 2 < tail.length; i++) {
    if (isStatus(tail[i])) {
      statusAt = i;
      break;
    }
  }
  if (statusAt < 0) return undefined;
  const status = tail[statusAt] as number;
  const firstTail = tokens.length - tail.length;
  const between = tokens.slice(m + 2, firstTail);
  // between: query port username c-ip user-agent [referer]
  const query = between[0];
  const uaIndex = between.length >= 6 ? between.length - 2 : between.length - 1;
  return {
    method: tokens[m] as string,
    uri: tokens[m + 1] as string,
    query: isEmpty(query) ? undefined : query,
    status,
    substatus: tail[statusAt + 1],
    win32: tail[statusAt + 2],
    userAgent: between[uaIndex],
    clientIp: between.length >= 5 ? between[3] : undefined,
    serverIp: m > 0 ? tokens[m - 1] : undefined,
  };
}

function isStatus(n: number | undefined): boolean {
  return n !== undefined && n >= 100 && n <= 599;
}
