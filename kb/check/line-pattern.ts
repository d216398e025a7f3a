/**
 * Turns one log message into a condition that matches the same message from another
 * machine: the fixed words stay as they are, the parts that change from one log to the
 * next (GUIDs, paths, URLs, host names, numbers, dates, hex values) become patterns.
 *
 * The regex is built so that it cannot backtrack catastrophically: it starts with fixed
 * text, every `+` is followed by a character its class cannot match (a space, a brace,
 * the end of the regex), and no two quantified parts touch. `kb:check` proves it again.
 */
export type LinePattern =
  | { kind: 'text'; value: string }
  | { kind: 'regex'; value: string };

type Piece = { lit: string } | { cls: keyof typeof CLASSES };

const CLASSES = {
  any: { source: '\\S+', has: (ch: string) => /\S/.test(ch) },
  digits: { source: '\\d+', has: (ch: string) => /\d/.test(ch) },
  hex: { source: '[0-9A-Fa-f]+', has: (ch: string) => /[0-9A-Fa-f]/.test(ch) },
  guid: { source: '[0-9A-Fa-f-]+', has: (ch: string) => /[0-9A-Fa-f-]/.test(ch) },
  alnum: { source: '[0-9A-Za-z]+', has: (ch: string) => /[0-9A-Za-z]/.test(ch) },
  notSingleQuote: { source: "[^']+", has: (ch: string) => ch !== "'" },
  notDoubleQuote: { source: '[^"]+', has: (ch: string) => ch !== '"' },
} as const;

/** Longest regex proposed; longer messages are cut at a word. */
const MAX_SOURCE = 160;
/** Most varying parts in one pattern: each is a quantifier that recheck has to prove safe. */
const MAX_VARYING = 4;
/** Fixed letters a pattern needs to say something (KB010's limit). */
const MIN_LETTERS = 4;

const GUID = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/y;
const HEX_0X = /0x(?=[0-9A-Fa-f])/iy;
const LONG_HEX = /[0-9A-Fa-f]{8,}(?![0-9A-Za-z])/y;
const DIGITS = /\d+/y;
const ALNUM_RUN = /[0-9A-Za-z]+/y;
/** ConfigMgr package and deployment IDs: site code and five hex digits (`PS100012`). */
const PACKAGE_ID = /^[A-Z][A-Z0-9]{2}[0-9A-F]{5}$/;

/** A run of letters and digits that is an identifier rather than a word: `PS100012`, `0A1B2C`, `W3SVC1`. */
function isIdentifierRun(run: string): boolean {
  if (!/\d/.test(run) || !/[A-Za-z]/.test(run)) return false;
  if (PACKAGE_ID.test(run)) return true;
  const transitions = (run.match(/\d(?=[A-Za-z])|[A-Za-z](?=\d)/g) ?? []).length;
  return transitions >= 2;
}

/** Words, runs of spaces, and quoted values that contain spaces (`'C:\Program Files\a b.msi'`). */
const QUOTED_OR_WORD = /(?<=^|\s)'[^']*\s[^']*'(?=$|[\s.,;:)])|(?<=^|\s)"[^"]*\s[^"]*"(?=$|[\s.,;:)])|\s+|\S+/g;
const DOMAIN_END = /\.(com|net|org|local|lan|corp|internal|example|test|intra|[a-z]{2})$/i;

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A word that is variable as a whole: a URL, a path, a user or host name, a token. */
function wholeWordVariable(word: string): boolean {
  if (word.includes('://') || word.includes('\\') || word.includes('@')) return true;
  if (/^['"(]?\/[^/\s]+\//.test(word)) return true;
  const bare = word.replace(/^['"(<[]+|[)'">\].,;:!?]+$/g, '');
  if (/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+){2,}$/.test(bare) && /[A-Za-z]/.test(bare) && DOMAIN_END.test(bare)) return true;
  if (/^[A-Za-z0-9-]+\.(com|net|org)$/i.test(bare)) return true;
  if (bare.length >= 24 && /\d/.test(bare) && /[A-Za-z]/.test(bare) && /^[A-Za-z0-9+/=_-]+$/.test(bare)) return true;
  return false;
}

/**
 * A quoted value with spaces in it (`'C:\Program Files\x.msi'`) is one variable when any part
 * of it varies: `'[^']+'` cannot run past the closing quote, so it stays linear.
 */
function quotedPieces(token: string): Piece[] {
  const q = token[0] as string;
  const inner = token.slice(1, -1);
  const varies = inner.split(/\s+/).some((part) => wordPieces(part).some((p) => 'cls' in p));
  if (!varies) return [{ lit: token }];
  return [{ lit: q }, { cls: q === "'" ? 'notSingleQuote' : 'notDoubleQuote' }, { lit: q }];
}

function wordPieces(word: string): Piece[] {
  if (wholeWordVariable(word)) return [{ cls: 'any' }];
  const pieces: Piece[] = [];
  let lit = '';
  const pushVar = (cls: keyof typeof CLASSES): void => {
    if (lit.length > 0) pieces.push({ lit });
    lit = '';
    pieces.push({ cls });
  };
  let i = 0;
  const at = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    return re.exec(word)?.[0];
  };
  while (i < word.length) {
    const boundary = i === 0 || !/[0-9A-Za-z]/.test(word[i - 1] as string);
    const guid = boundary ? at(GUID) : undefined;
    if (guid) { pushVar('guid'); i += guid.length; continue; }
    const ox = boundary ? at(HEX_0X) : undefined;
    if (ox) {
      lit += word.slice(i, i + 2);
      i += 2;
      const hex = at(/[0-9A-Fa-f]+/y) as string;
      pushVar('hex');
      i += hex.length;
      continue;
    }
    const run = boundary ? at(ALNUM_RUN) : undefined;
    if (run && isIdentifierRun(run)) { pushVar('alnum'); i += run.length; continue; }
    const long = boundary ? at(LONG_HEX) : undefined;
    if (long && /\d/.test(long) && /[a-f]/i.test(long)) { pushVar('hex'); i += long.length; continue; }
    const digits = at(DIGITS);
    if (digits) { pushVar('digits'); i += digits.length; continue; }
    lit += word[i];
    i++;
  }
  if (lit.length > 0) pieces.push({ lit });
  // One varying part per word keeps the pattern readable and quick to prove safe:
  // `3/25/2026` and `Content_<guid>.1` become `\S+`, not `\d+/\d+/\d+`.
  const varying = pieces.filter((p) => 'cls' in p).length;
  return varying <= 1 && safeWord(pieces) ? pieces : [{ cls: 'any' }];
}

/** Inside a word, a quantified part must not touch another one nor a character it could also match. */
function safeWord(pieces: readonly Piece[]): boolean {
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k] as Piece;
    if (!('cls' in p)) continue;
    const prev = pieces[k - 1];
    const next = pieces[k + 1];
    const cls = CLASSES[p.cls];
    if (prev && ('cls' in prev || cls.has(prev.lit.slice(-1)))) return false;
    if (next && ('cls' in next || cls.has(next.lit.slice(0, 1)))) return false;
  }
  return true;
}

function letters(s: string): number {
  return (s.match(/\p{L}/gu) ?? []).length;
}

/**
 * The condition for a message, or undefined when it has too little fixed text to say
 * anything (fewer than four letters once the variable parts are taken out).
 */
export function linePattern(message: string): LinePattern | undefined {
  const tokens = message.trim().match(QUOTED_OR_WORD) ?? [];
  type Word = { space: string } | { pieces: Piece[]; text: string };
  const words: Word[] = tokens.map((t) => {
    if (/^\s/.test(t)) return { space: t };
    const quoted = /^(['"]).*\s.*\1$/.test(t);
    return { pieces: quoted ? quotedPieces(t) : wordPieces(t), text: t };
  });
  // Start at the first word that begins with fixed text (a regex that starts with `\S+`
  // would be tried at every position of a long line) and has some letters: leading
  // time stamps and thread ids (`[1A2C:0F10][2026-03-25T14:02:36]`) say nothing.
  const start = words.findIndex((w) => 'pieces' in w && 'lit' in (w.pieces[0] as Piece)
    && letters(w.pieces.map((p) => ('lit' in p ? p.lit : '')).join('')) >= 3);
  if (start < 0) return undefined;
  let source = '';
  let plain = '';
  let variable = false;
  let fixed = '';
  let lastGood = { source: '', plain: '', variable: false, fixed: '' };
  let previousWhollyVariable = false;
  let varyingCount = 0;
  for (let k = start; k < words.length; k++) {
    const w = words[k];
    if (!w) break;
    const whollyVariable = 'pieces' in w && w.pieces.length === 1 && 'cls' in (w.pieces[0] as Piece);
    // Two variable words in a row (an unquoted path with a space) cannot be told apart from
    // one: stop before them rather than require the same number of spaces next time.
    if (whollyVariable && previousWhollyVariable) break;
    if ('pieces' in w) previousWhollyVariable = whollyVariable;
    if ('space' in w) {
      source += w.space === ' ' ? ' ' : '\\s+';
      plain += w.space;
      continue;
    }
    const part = w.pieces.map((p) => ('lit' in p ? escapeRegex(p.lit) : CLASSES[p.cls].source)).join('');
    if (source.length + part.length > MAX_SOURCE && lastGood.source.length > 0) break;
    varyingCount += w.pieces.filter((p) => 'cls' in p).length;
    if (varyingCount > MAX_VARYING) break;
    source += part;
    plain += w.text;
    if (w.pieces.some((p) => 'cls' in p)) variable = true;
    fixed += w.pieces.map((p) => ('lit' in p ? p.lit : ' ')).join('') + ' ';
    // Never end on a quantified part or a space: it adds nothing and would only be cut later.
    const last = w.pieces[w.pieces.length - 1] as Piece;
    if ('lit' in last) lastGood = { source, plain, variable, fixed };
  }
  if (lastGood.source.length === 0 || letters(lastGood.fixed) < MIN_LETTERS) return undefined;
  if (!lastGood.variable) return { kind: 'text', value: lastGood.plain };
  return { kind: 'regex', value: lastGood.source };
}
