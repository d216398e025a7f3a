/**
 * Aho–Corasick automaton: finds every needle in a line in one pass, however many
 * needles there are, so the cost of scanning grows with the log, not with the KB.
 *
 * The automaton is compiled to a table-driven DFA over an alphabet of character
 * classes (every character that occurs in a needle gets a class; everything else
 * shares class 0, which always leads back to the root). One table lookup per character
 * of the haystack, no failure-link walks, no allocation while searching; a state's row
 * of the table is filled the first time a search reaches the state.
 *
 * Needles and haystacks are compared as given, unless `ignoreCase` is set: then needles
 * are lower-cased once, ASCII letters of the haystack are folded as they are read, and a
 * haystack with other characters is lower-cased first (so the result is exactly that of
 * searching `haystack.toLowerCase()`, without building that string for ASCII lines).
 */
export interface AhoCorasick<T> {
  /**
   * Calls `onMatch` with the payload of every needle found in `haystack`, at every position
   * where one ends; `end` is the index just past the needle's last character.
   */
  search(haystack: string, onMatch: (payload: T, end: number) => void): void;
  readonly size: number;
}

export interface AhoCorasickOptions {
  ignoreCase?: boolean;
}

export function buildAhoCorasick<T>(
  needles: ReadonlyArray<readonly [string, T]>,
  options: AhoCorasickOptions = {},
): AhoCorasick<T> {
  const ignoreCase = options.ignoreCase === true;
  const payloads: T[] = [];
  const words: string[] = [];
  // Character classes: 0 for characters in no needle. Assigned in a first pass, so that
  // the number of classes (the width of the table's rows) is known before the trie is built.
  const asciiClass = new Uint16Array(128);
  const otherClass = new Map<number, number>();
  let classes = 1;
  let chars = 0;
  for (const [raw, payload] of needles) {
    const needle = ignoreCase ? raw.toLowerCase() : raw;
    if (needle.length === 0) continue;
    words.push(needle);
    payloads.push(payload);
    chars += needle.length;
    for (let i = 0; i < needle.length; i++) {
      const ch = needle.charCodeAt(i);
      if (ch < 128) {
        if (asciiClass[ch] === 0) asciiClass[ch] = classes++;
      } else if (!otherClass.has(ch)) otherClass.set(ch, classes++);
    }
  }
  if (ignoreCase) {
    // Upper-case ASCII letters read as their lower-case class.
    for (let ch = 65; ch <= 90; ch++) asciiClass[ch] = asciiClass[ch + 32] as number;
  }
  const width = classes;
  const classOf = (ch: number): number => (ch < 128 ? (asciiClass[ch] as number) : (otherClass.get(ch) ?? 0));

  // The trie, as lists of edges (class, target) per state: compact, because memory is
  // what a start pays for (every page of a table written at load is a page fault). The
  // root's edges are also kept in a row indexed by class, as most insertions start there.
  const maxStates = chars + 1;
  const edgeClass = new Int32Array(maxStates);
  const nextEdge = new Int32Array(maxStates);
  const firstEdge = new Int32Array(maxStates).fill(-1);
  const rootChild = new Int32Array(width);
  /** The child of `state` on class `cls`, 0 for none (edge i leads to state i + 1). */
  const childOf = (state: number, cls: number): number => {
    if (state === 0) return rootChild[cls] as number;
    for (let e = firstEdge[state] as number; e >= 0; e = nextEdge[e] as number) if (edgeClass[e] === cls) return e + 1;
    return 0;
  };
  const ownOut = new Map<number, number[]>();
  let states = 1;
  words.forEach((needle, payload) => {
    let state = 0;
    for (let i = 0; i < needle.length; i++) {
      const cls = classOf(needle.charCodeAt(i));
      let next = childOf(state, cls);
      if (next === 0) {
        const e = states - 1;
        next = states++;
        edgeClass[e] = cls;
        nextEdge[e] = firstEdge[state] as number;
        firstEdge[state] = e;
        if (state === 0) rootChild[cls] = next;
      }
      state = next;
    }
    const own = ownOut.get(state);
    if (own) own.push(payload);
    else ownOut.set(state, [payload]);
  });

  // Breadth-first: failure links and merged outputs (each state's failure state is
  // shallower, so it is final when the state is reached).
  const fail = new Int32Array(states);
  const outs: (number[] | undefined)[] = new Array(states);
  const order = new Int32Array(states);
  outs[0] = ownOut.get(0);
  let queued = 1;
  for (let q = 0; q < queued; q++) {
    const s = order[q] as number;
    for (let e = firstEdge[s] as number; e >= 0; e = nextEdge[e] as number) {
      const child = e + 1;
      const cls = edgeClass[e] as number;
      let childFail = 0;
      if (s !== 0) {
        // The longest proper suffix of the child's string that is a trie state: the
        // failure chain of s, extended by cls.
        for (let f = fail[s] as number; ; f = fail[f] as number) {
          const to = childOf(f, cls);
          if (to !== 0) {
            childFail = to;
            break;
          }
          if (f === 0) break;
        }
      }
      fail[child] = childFail;
      const own = ownOut.get(child);
      const inherited = outs[childFail];
      outs[child] = own && inherited ? own.concat(inherited) : (own ?? inherited);
      order[queued++] = child;
    }
  }
  const outStart = new Int32Array(states + 1);
  const flat: number[] = [];
  for (let s = 0; s < states; s++) {
    outStart[s] = flat.length;
    const list = outs[s];
    if (list) for (const p of list) flat.push(p);
  }
  outStart[states] = flat.length;
  const outList = Int32Array.from(flat);

  // The DFA: one row per state, filled the first time a search enters the state. A large
  // KB has tens of thousands of states; filling every row at load cost a one-code run of
  // the command line more than its whole diagnosis, and a log visits a small part of them
  // (the zero-filled table costs memory only where rows are written). A filled row's
  // entries hold the target state shifted left by two; bit 0 says the target reports
  // needles, bit 1 that the target's row may not be filled yet (cleared on the first pass
  // through the entry once it is).
  const delta = new Int32Array(states * width);
  const filled = new Uint8Array(states);
  const entryFor = (target: number): number =>
    (target << 2) | ((outStart[target + 1] as number) > (outStart[target] as number) ? 1 : 0) | (filled[target] === 0 ? 2 : 0);
  const chain: number[] = [];
  function fillRow(s: number): void {
    // A row is its failure state's row, except on the state's own edges; that row must be
    // filled first (it is shallower, so the chain ends at the root).
    for (let q = s; filled[q] === 0; q = fail[q] as number) {
      chain.push(q);
      if (q === 0) break;
    }
    while (chain.length > 0) {
      const q = chain.pop() as number;
      const row = q * width;
      if (q !== 0) {
        const f = (fail[q] as number) * width;
        delta.copyWithin(row, f, f + width);
      }
      filled[q] = 1;
      for (let e = firstEdge[q] as number; e >= 0; e = nextEdge[e] as number) delta[row + (edgeClass[e] as number)] = entryFor(e + 1);
    }
  }
  fillRow(0);

  function scan(text: string, onMatch: (payload: T, end: number) => void): void {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      const cls = ch < 128 ? (asciiClass[ch] as number) : (otherClass.get(ch) ?? 0);
      const at = state * width + cls;
      const t = delta[at] as number;
      state = t >> 2;
      if ((t & 3) !== 0) {
        if ((t & 2) !== 0) {
          fillRow(state);
          delta[at] = t & ~2;
        }
        for (let k = outStart[state] as number, end = outStart[state + 1] as number; k < end; k++) {
          onMatch(payloads[outList[k] as number] as T, i + 1);
        }
      }
    }
  }

  return {
    size: needles.length,
    search(haystack, onMatch) {
      if (payloads.length === 0) return;
      // With ignoreCase, ASCII letters are folded by the class table; a line with other
      // characters is lower-cased first, as their case mappings are not one to one.
      scan(ignoreCase && !isAscii(haystack) ? haystack.toLowerCase() : haystack, onMatch);
    },
  };
}

const NON_ASCII = /[^\u0000-\u007f]/;

/** True when every character is below 128 (a regex: the engine scans faster than a charCodeAt loop). */
function isAscii(s: string): boolean {
  return !NON_ASCII.test(s);
}
