import { parseCodeSpelling } from '../../matchers/facts/codes';
import { COMMON_CODES, type ConditionDef, type SignatureDef } from '../../matchers/signatures/definition';
import type { LoadedEntry } from '../load-kb';
import type { KbProblem } from '../problem';

/**
 * KB010: a weak signature is one that can fire on evidence that says nothing about a
 * cause: a lone HTTP status without its substatus (every 404), a lone code that every
 * failure logs (0x80004005), or a text or regex with fewer than four letters of fixed
 * text. Such a signature fires on healthy logs and on other products' failures.
 *
 * It is a warning at medium or low confidence (a hint among others), and an error at
 * high confidence: a high-confidence answer must rest on evidence specific to its cause.
 */
export const MIN_LITERAL_LETTERS = 4;

/** Why a condition is weak on its own, or undefined when it is specific enough. */
export function conditionWeakness(c: ConditionDef): string | undefined {
  if ('code' in c) {
    const values = (Array.isArray(c.code) ? c.code : [c.code]).map((v) => (typeof v === 'number' ? v >>> 0 : parseCodeSpelling(String(v))));
    const common = values.find((v) => v !== undefined && COMMON_CODES.has(v));
    return common !== undefined ? `the common code 0x${common.toString(16).toUpperCase()}, which many unrelated failures log` : undefined;
  }
  if ('http' in c) {
    return c.http.substatus === undefined ? `a lone HTTP status ${c.http.status} without a substatus` : undefined;
  }
  if ('text' in c) {
    const short = (Array.isArray(c.text) ? c.text : [c.text]).find((t) => letterCount(t) < MIN_LITERAL_LETTERS);
    return short !== undefined ? `the text "${short}", which has fewer than ${MIN_LITERAL_LETTERS} letters` : undefined;
  }
  if ('regex' in c) {
    const literal = shortestBranchLiteral(c.regex);
    return letterCount(literal) < MIN_LITERAL_LETTERS
      ? `a regex whose fixed text ("${literal}") has fewer than ${MIN_LITERAL_LETTERS} letters`
      : undefined;
  }
  if ('path' in c && c.path.segment === undefined && c.path.hidden_by_default !== true && c.path.contains !== undefined) {
    const short = (Array.isArray(c.path.contains) ? c.path.contains : [c.path.contains]).find((t) => letterCount(t) < MIN_LITERAL_LETTERS);
    return short !== undefined ? `any path that contains "${short}"` : undefined;
  }
  return undefined;
}

/**
 * The weakest set of conditions that makes the signature fire: every `all` condition and
 * the weakest `any` condition. The signature is weak when every condition of that set is.
 */
export function signatureWeakness(sig: SignatureDef): string[] | undefined {
  const all = sig.all ?? [];
  const any = sig.any ?? [];
  const reasons: string[] = [];
  for (const c of all) {
    const w = conditionWeakness(c);
    if (w === undefined) return undefined;
    reasons.push(w);
  }
  if (any.length > 0) {
    const weakAny = any.map(conditionWeakness).find((w) => w !== undefined);
    if (weakAny === undefined) return undefined;
    reasons.push(weakAny);
  }
  return reasons.length > 0 ? reasons : undefined;
}

export function checkWeakSignatures(entries: readonly LoadedEntry[]): KbProblem[] {
  const problems: KbProblem[] = [];
  for (const entry of entries) {
    entry.front.signatures.forEach((sig, i) => {
      const reasons = signatureWeakness(sig);
      if (!reasons) return;
      const high = sig.confidence === 'high';
      problems.push({
        file: entry.file, ...entry.locate(['signatures', i]), code: 'KB010', severity: high ? 'error' : 'warning',
        message: `signature "${sig.name}" is weak: the least that makes it fire is ${reasons.join(' and ')}` +
          (high
            ? '; a high-confidence signature needs specific evidence: add a condition (a substatus, a specific code, a longer text, a file extension) or lower its confidence to medium'
            : '; add a condition that is specific to this cause (a substatus, a specific code, a longer text)'),
      });
    });
  }
  return problems;
}

function letterCount(s: string): number {
  return (s.match(/\p{L}/gu) ?? []).length;
}

/**
 * The fixed text every match of a regex must contain, outside groups and classes and not made
 * optional, for the branch that has the least of it (`a|b` is as weak as its weakest branch).
 * `\.wim\s+len=` gives ".wim…len=": both runs must be there, so both count.
 */
export function shortestBranchLiteral(source: string): string {
  let shortest: string | undefined;
  for (const branch of topLevelBranches(source)) {
    const literal = fixedText(branch);
    if (shortest === undefined || letterCount(literal) < letterCount(shortest)) shortest = literal;
  }
  return shortest ?? '';
}

/** Plain characters of a regex (one branch) that every match contains, runs joined by "…". */
function fixedText(source: string): string {
  const runs: string[] = [];
  let run = '';
  let depth = 0;
  const flush = (): void => {
    if (run.length > 0) runs.push(run);
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === '[') {
      i = skipClass(source, i);
      flush();
      continue;
    }
    if (ch === '(') { depth++; flush(); continue; }
    if (ch === ')') { depth--; flush(); continue; }
    if (depth > 0) { if (ch === '\\') i++; continue; }
    let literal: string | undefined;
    if (ch === '\\') {
      const next = source[++i];
      literal = next !== undefined && !/[A-Za-z0-9]/.test(next) ? next : undefined;
    } else if (!'.^$*+?{}|'.includes(ch)) literal = ch;
    if (literal === undefined) { flush(); continue; }
    const q = source[i + 1];
    if (q === '?' || q === '*' || (q === '{' && /^\{0[,}]/.test(source.slice(i + 1)))) { flush(); continue; }
    run += literal;
  }
  flush();
  return runs.join('…');
}

function skipClass(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return source.length;
}

function topLevelBranches(source: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') { i++; continue; }
    if (ch === '[') { i = skipClass(source, i); continue; }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      branches.push(source.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(source.slice(start));
  return branches;
}
