import type { ConditionDef, SignatureDef } from '../matchers/signatures/definition';
import { createRandom, permutation, type Random } from './random';

/**
 * The generated signatures of the scaled KBs, and the log lines that fire them. Each
 * signature is built around one ConfigMgr-style failure phrase ("DTS job timed out
 * contacting the proxy server") with varying parts (package IDs, codes, attempt
 * counts), in the four shapes KB authors write: text + code, a regex with named groups,
 * a line-scope regex + code, and a log-restricted text with a `not`. Signature i is the
 * same in every KB size, so the 500-signature KB contains the 50-signature one.
 */
const SUBJECTS = [
  'CTM job', 'DTS job', 'CCMDTS job', 'Download request', 'Content location request', 'Policy download',
  'Cache manager', 'Hash verification', 'BITS transfer', 'Pull DP job', 'Package transfer', 'Multicast session',
  'Task sequence step', 'Location request', 'Update scan', 'Distribution manager', 'Peer cache lookup',
  'BranchCache probe', 'Boundary group lookup', 'Content library job',
];
const VERBS = [
  'failed to download from', 'could not resolve', 'timed out contacting', 'was refused by', 'could not open',
  'lost the connection to', 'failed to validate', 'could not enumerate', 'gave up retrying', 'failed to register with',
  'could not create', 'got an invalid reply from',
];
const OBJECTS = [
  'the distribution point', 'the management point', 'the content source', 'the package share', 'the cache folder',
  'the content manifest', 'the BITS job', 'the HTTP endpoint', 'the SMB share', 'the proxy server',
  'the certificate store', 'the update source', 'the peer source', 'the cloud gateway', 'the content version',
  'the hash table', 'the data file', 'the location list', 'the boundary list', 'the site server',
  'the WebDAV folder', 'the IIS virtual directory', 'the fallback source', 'the state message queue', 'the download queue',
];

/** Failure codes that ConfigMgr content downloads report. */
export const FAILURE_CODES = [
  0x80070005, 0x80072ee2, 0x80072ee7, 0x80072efd, 0x80190194, 0x80190193, 0x80091007, 0x87d00607,
  0x8007000e, 0x80070070, 0x80200010, 0x800704cf, 0x80072f8f, 0x80070002, 0x80070003, 0x87d00215,
];

export const MAX_SIGNATURES = SUBJECTS.length * VERBS.length * OBJECTS.length;
const ORDER = permutation(MAX_SIGNATURES, 0x5eed);

export type SignatureShape = 'text-code' | 'regex' | 'line-regex-code' | 'text-not';

export interface SignatureSpec {
  index: number;
  phrase: string;
  shape: SignatureShape;
  code: number;
  def: SignatureDef;
  /** Patterns for `rg -i -f`, one per condition, in ripgrep's regex syntax. */
  rgPatterns: string[];
}

export function hex(code: number): string {
  return '0x' + code.toString(16).toUpperCase().padStart(8, '0');
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/**
 * ripgrep joins the patterns of `-f` into one alternation, where repeated group names
 * are an error; counting matching lines needs no groups, so named groups become plain ones.
 */
export function toRipgrep(jsRegex: string): string {
  return jsRegex.replace(/\(\?<([A-Za-z_]\w*)>/g, '(?:');
}

export function signatureSpec(index: number): SignatureSpec {
  if (index < 0 || index >= MAX_SIGNATURES) throw new RangeError(`signature ${index} is outside 0..${MAX_SIGNATURES - 1}`);
  const combo = ORDER[index] as number;
  const subject = SUBJECTS[combo % SUBJECTS.length] as string;
  const verb = VERBS[Math.floor(combo / SUBJECTS.length) % VERBS.length] as string;
  const object = OBJECTS[Math.floor(combo / (SUBJECTS.length * VERBS.length))] as string;
  const phrase = `${subject} ${verb} ${object}`;
  const code = FAILURE_CODES[index % FAILURE_CODES.length] as number;
  const shapes: SignatureShape[] = ['text-code', 'regex', 'line-regex-code', 'text-not'];
  const shape = shapes[index % shapes.length] as SignatureShape;
  const name = `sig-${index}`;
  const p = escapeRegex(phrase);
  let def: SignatureDef;
  let conditions: ConditionDef[];
  switch (shape) {
    case 'text-code':
      conditions = [{ text: phrase }, { code: hex(code) }];
      def = { name, confidence: 'medium', all: [{ text: phrase }], any: [{ code: hex(code) }] };
      break;
    case 'regex': {
      const regex = `${p} for (?<package>[A-Z0-9]{3}[0-9A-F]{5}),? (?:error|hr=) ?0x(?<detail>[0-9A-F]{8})`;
      conditions = [{ regex }];
      def = { name, confidence: 'high', all: [{ regex }] };
      break;
    }
    case 'line-regex-code': {
      const regex = `${p} after (?<attempts>[0-9]+) attempts?`;
      conditions = [{ regex }, { code: hex(code) }];
      def = { name, confidence: 'high', scope: 'line', all: [{ regex }, { code: hex(code) }] };
      break;
    }
    case 'text-not':
      conditions = [{ text: phrase }, { text: 'will retry' }];
      def = { name, confidence: 'low', log: ['DataTransferService', 'ContentTransferManager'], severity: 'warning', all: [{ text: phrase }], not: [{ text: 'will retry' }] };
      break;
  }
  const rgPatterns = conditions.map((c) => {
    if ('text' in c) return escapeRegex(String(c.text));
    if ('regex' in c) return toRipgrep(c.regex);
    if ('code' in c) return escapeRegex(String(c.code));
    throw new Error('unexpected condition');
  });
  return { index, phrase, shape, code, def, rgPatterns };
}

/** A log message that fires signature `index`. */
export function failureMessage(index: number, r: Random): string {
  const s = signatureSpec(index);
  const pkg = `PS1${r.hex(5)}`;
  switch (s.shape) {
    case 'text-code': return `${s.phrase} for ${pkg}. Error ${hex(s.code)}`;
    case 'regex': return `${s.phrase} for ${pkg}, error ${hex(s.code)}`;
    case 'line-regex-code': return `${s.phrase} after ${1 + r.int(9)} attempts, error ${hex(s.code)}`;
    case 'text-not': return `${s.phrase}.`;
  }
}

/** A message that contains the literal part of signature `index` but does not fire it: the prefilter's false positives. */
export function nearMissMessage(index: number, r: Random): string {
  const s = signatureSpec(index);
  return `${s.phrase} (attempt ${1 + r.int(5)}); will retry in ${30 * (1 + r.int(4))} seconds`;
}

export function describeShapes(): string {
  return 'text + code (paste scope), regex with named groups, line-scope regex + code, log-restricted text with a not';
}

/** Prose questions for the query-latency measurement, from the same vocabulary plus common wordings. */
export function proseQuestions(count: number, seed = 7): string[] {
  const r = createRandom(seed);
  const fixed = [
    'content download is stuck at 0 percent on the client, what should I check?',
    'why does the task sequence hang at 27% and then restart the download',
    'the distribution point returns 404 for config files but other files download fine',
    'hash mismatch after the package was updated, the client keeps retrying',
    'clients cannot find any content location for the package in this boundary group',
    'BITS job stays in transient error and never finishes downloading',
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) out.push(fixed[i % fixed.length] as string);
    else {
      out.push(`why does the ${r.pick(SUBJECTS).toLowerCase()} keep saying it ${r.pick(VERBS)} ${r.pick(OBJECTS)} since yesterday?`);
    }
  }
  return out;
}
