import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandom, type Random } from './random';
import { failureMessage, nearMissMessage } from './signature-specs';

/**
 * Realistic logs of a chosen size: CMTrace client logs, IIS W3C logs of a distribution
 * point, SMSTS.log, and a mix of all three with pasted headings. Healthy messages come
 * from the baseline fixtures (test/fixtures/baseline) with fresh GUIDs, package IDs and
 * times; failures of generated signatures and near misses (a signature's phrase without
 * the rest of it) are sprinkled in at rates seen in real logs, so the prefilter and the
 * candidate regexes both have work to do.
 */
export type LogKind = 'client' | 'iis' | 'smsts' | 'mixed';
export const LOG_KINDS: readonly LogKind[] = ['client', 'iis', 'smsts', 'mixed'];

const BASELINE = fileURLToPath(new URL('../test/fixtures/baseline/', import.meta.url));
/** Bump when the generated data changes, so cached files are rebuilt. */
export const LOG_GENERATOR_VERSION = 1;

interface CmtraceTemplate {
  message: string;
  component: string;
  file: string;
  type: string;
}

const CMTRACE = /^<!\[LOG\[(.*)\]LOG\]!><time="[^"]*" date="[^"]*" component="([^"]*)" context="[^"]*" type="(\d)" thread="\d+" file="([^"]*)">$/;

function readCmtrace(name: string): CmtraceTemplate[] {
  const out: CmtraceTemplate[] = [];
  for (const line of readFileSync(join(BASELINE, name), 'utf8').split(/\r?\n/)) {
    const m = CMTRACE.exec(line);
    if (m) out.push({ message: m[1] as string, component: m[2] as string, type: m[3] as string, file: m[4] as string });
  }
  if (out.length === 0) throw new Error(`no CMTrace lines in ${name}; the baseline fixtures are needed to generate benchmark logs`);
  return out;
}

const GUID = /[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/gi;
const PACKAGE = /\bPS1[0-9A-F]{5}\b/g;

function vary(message: string, r: Random): string {
  return message.replace(GUID, () => r.guid()).replace(PACKAGE, () => `PS1${r.hex(5)}`);
}

/** The 5% of failures that real ConfigMgr messages of the shipped KB describe, verbatim from the seeds' wording. */
const REAL_FAILURES = [
  'Hash does not match expected <Content ContentId="PS100012" Version="3"><FileContent Name="setup.exe" Hash="0A1B2C" HashAlgorithm="SHA1" Size="513400"/></Content>, actual',
  'Download failed for content PS100012.3 under context System, error 0x80091007',
  'There are 0 files in the directory compared to 1 expected files',
  'Error downloading file from http://DP01.corp.contoso.com:80/SMS_DP_SMSPKG$/PS100012/Tools/app.exe.config to C:\\_SMSTaskSequence\\Packages\\PS100012\\Tools\\app.exe.config',
];

interface Clock {
  tick(r: Random): { time: string; date: string };
}

function createClock(): Clock {
  let ms = 10 * 3600 * 1000;
  return {
    tick(r) {
      ms += r.int(400);
      const h = Math.floor(ms / 3600000) % 24;
      const m = Math.floor(ms / 60000) % 60;
      const s = Math.floor(ms / 1000) % 60;
      const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
      return { time: `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}+000`, date: '03-25-2026' };
    },
  };
}

function cmtraceLine(t: CmtraceTemplate, message: string, type: string, clock: Clock, r: Random): string {
  const { time, date } = clock.tick(r);
  return `<![LOG[${message}]LOG]!><time="${time}" date="${date}" component="${t.component}" context="" type="${type}" thread="${1000 + r.int(8000)}" file="${t.file}">`;
}

/** One line generator per kind; each call returns the next line. */
type LineSource = () => string;

function cmtraceSource(templates: CmtraceTemplate[], r: Random, signatureRange: number): LineSource {
  const clock = createClock();
  return () => {
    const t = r.pick(templates);
    const roll = r.next();
    if (roll < 0.0005) return cmtraceLine(t, failureMessage(r.int(Math.min(50, signatureRange)), r), '3', clock, r);
    if (roll < 0.0030) return cmtraceLine(t, nearMissMessage(r.int(signatureRange), r), '2', clock, r);
    if (roll < 0.0032) return cmtraceLine(t, r.pick(REAL_FAILURES), '3', clock, r);
    return cmtraceLine(t, vary(t.message, r), t.type, clock, r);
  };
}

const IIS_FIELDS = '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';
const FILES = ['setup.exe', 'setup.exe.config', 'Agent.dll', 'data.cab', 'install.msi', 'readme.txt', 'Config/logging.xml', 'bin/app.dll', 'update.msp', 'image.wim'];
const AGENTS = ['Microsoft+BITS/7.8', 'SMS+CCM+5.0', 'Microsoft-WinHttp/10.0', 'SMS+TS'];

function iisSource(r: Random): LineSource {
  let n = 0;
  const clock = createClock();
  return () => {
    if (n++ % 5000 === 0) return IIS_FIELDS;
    const { time } = clock.tick(r);
    const pkg = `PS1${r.hex(5)}`;
    const file = r.pick(FILES);
    const content = r.chance(0.5);
    const uri = content ? `/SMS_DP_SMSPKG$/Content_${r.guid().toLowerCase()}.1` : `/SMS_DP_SMSPKG$/${pkg}/${file}`;
    const query = content ? `/sccm?/${file}` : '-';
    const roll = r.next();
    const [status, sub, win32] = roll < 0.0005 && file.endsWith('.config') ? [404, 7, 0]
      : roll < 0.01 ? [404, 0, 2] : roll < 0.2 ? [206, 0, 0] : roll < 0.3 ? [304, 0, 0] : [200, 0, 0];
    const method = r.chance(0.3) ? 'HEAD' : r.chance(0.1) ? 'PROPFIND' : 'GET';
    return `2026-03-25 ${time.slice(0, 8)} 10.20.1.15 ${method} ${uri} ${query} 80 - 10.20.${r.int(255)}.${r.int(255)} ${r.pick(AGENTS)} - ${status} ${sub} ${win32} ${r.int(900)}`;
  };
}

const HEADINGS: Readonly<Record<string, string>> = { client: 'CAS.log:', iis: 'u_ex260325.log:', smsts: 'SMSTS.log:' };

/** Blocks of 200–2,200 lines of each log, separated by a blank line and a pasted heading. */
function mixedSource(sources: readonly [string, LineSource][], r: Random): LineSource {
  let current = sources[0] as [string, LineSource];
  let left = 0;
  let heading: string | undefined;
  return () => {
    if (heading !== undefined) {
      const h = heading;
      heading = undefined;
      return h;
    }
    if (left-- <= 0) {
      current = r.pick(sources);
      left = 200 + r.int(2000);
      heading = HEADINGS[current[0]];
      return '';
    }
    return current[1]();
  };
}

export function lineSource(kind: LogKind, seed: number, signatureRange: number): LineSource {
  const r = createRandom(seed);
  const client = [
    ...readCmtrace('CAS.log'), ...readCmtrace('ContentTransferManager.log'), ...readCmtrace('DataTransferService.log'),
    ...readCmtrace('LocationServices.log'), ...readCmtrace('execmgr.log'),
  ];
  const smsts = readCmtrace('smsts.log');
  switch (kind) {
    case 'client': return cmtraceSource(client, r, signatureRange);
    case 'smsts': return cmtraceSource(smsts, r, signatureRange);
    case 'iis': return iisSource(r);
    case 'mixed': return mixedSource([
      ['client', cmtraceSource(client, createRandom(seed + 1), signatureRange)],
      ['iis', iisSource(createRandom(seed + 2))],
      ['smsts', cmtraceSource(smsts, createRandom(seed + 3), signatureRange)],
    ], r);
  }
}

/**
 * The path of a generated log of about `megabytes` MB (10^6 bytes), written once into
 * `root` and reused by later runs.
 */
export function generateLog(root: string, kind: LogKind, megabytes: number): string {
  mkdirSync(root, { recursive: true });
  const path = join(root, `${kind}-${megabytes}MB.v${LOG_GENERATOR_VERSION}.log`);
  const target = Math.round(megabytes * 1e6);
  if (existsSync(path) && statSync(path).size >= target) return path;
  const next = lineSource(kind, 1000 + megabytes, 5000);
  const tmp = `${path}.partial`;
  const fd = openSync(tmp, 'w');
  let written = 0;
  try {
    while (written < target) {
      let chunk = '';
      while (chunk.length < 1 << 20 && written + chunk.length < target) chunk += next() + '\r\n';
      const buf = Buffer.from(chunk, 'utf8');
      writeSync(fd, buf);
      written += buf.length;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return path;
}
