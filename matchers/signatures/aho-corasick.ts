/**
 * Aho–Corasick automaton: finds every needle in a line in one pass, however many
 * needles there are, so the cost of scanning grows with the log, not with the KB.
 *
 * The automaton is compiled to a table-driven DFA over an alphabet of character
 * classes (every character that occurs in a needle gets a class; everything else
 * shares class 0, which always leads back to the root). One table lookup per character
 * of the haystack, no failure-link walks, no allocation while searching.
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

interface TrieNode {
  next: Map<number, number>;
  out: number[];
}

export function buildAhoCorasick<T>(
  needles: ReadonlyArray<readonly [string, T]>,
  options: AhoCorasickOptions = {},
): AhoCorasick<T> {
  const ignoreCase = options.ignoreCase === true;
  const payloads: T[] = [];
  const trie: TrieNode[] = [{ next: new Map(), out: [] }];
  // Character classes: 0 for characters in no needle.
  const asciiClass = new Uint16Array(128);
  const otherClass = new Map<number, number>();
  let classes = 1;
  const classOf = (ch: number): number => {
    if (ch < 128) {
      let c = asciiClass[ch] as number;
      if (c === 0) {
        c = classes++;
        asciiClass[ch] = c;
      }
      return c;
    }
    let c = otherClass.get(ch);
    if (c === undefined) {
      c = classes++;
      otherClass.set(ch, c);
    }
    return c;
  };
  for (const [raw, payload] of needles) {
    const needle = ignoreCase ? raw.toLowerCase() : raw;
    if (needle.length === 0) continue;
    let state = 0;
    for (let i = 0; i < needle.length; i++) {
      const cls = classOf(needle.charCodeAt(i));
      const node = trie[state] as TrieNode;
      let next = node.next.get(cls);
      if (next === undefined) {
        next = trie.length;
        trie.push({ next: new Map(), out: [] });
        node.next.set(cls, next);
      }
      state = next;
    }
    (trie[state] as TrieNode).out.push(payloads.length);
    payloads.push(payload);
  }
  if (ignoreCase) {
    // Upper-case ASCII letters read as their lower-case class.
    for (let ch = 65; ch <= 90; ch++) asciiClass[ch] = asciiClass[ch + 32] as number;
  }

  // Breadth-first: failure links, merged outputs, and the full transition table.
  const states = trie.length;
  const width = classes;
  const delta = new Int32Array(states * width);
  const fail = new Int32Array(states);
  const outs: number[][] = trie.map((n) => n.out);
  const order: number[] = [0];
  for (let q = 0; q < order.length; q++) {
    const s = order[q] as number;
    const node = trie[s] as TrieNode;
    const f = fail[s] as number;
    // Row s starts as a copy of its failure state's row (already final: breadth-first order
    // reaches shallower states first); only the state's own children differ. Copying rows
    // with TypedArray#set costs a memory copy instead of a map lookup per class.
    if (s !== 0) delta.set(delta.subarray(f * width, f * width + width), s * width);
    for (const [cls, child] of node.next) {
      // The failure state of a child of the root is the root.
      const childFail = s === 0 ? 0 : (delta[f * width + cls] as number) >> 1;
      fail[child] = childFail;
      const inherited = outs[childFail] as number[];
      if (inherited.length > 0) outs[child] = (outs[child] as number[]).concat(inherited);
      order.push(child);
      // Entries hold state numbers shifted left by one; bit 0 is set below.
      delta[s * width + cls] = child << 1;
    }
  }
  // Tag every transition with whether its target reports needles (bit 0).
  const outStart = new Int32Array(states + 1);
  const flat: number[] = [];
  for (let s = 0; s < states; s++) {
    outStart[s] = flat.length;
    for (const p of outs[s] as number[]) flat.push(p);
  }
  outStart[states] = flat.length;
  const outList = Int32Array.from(flat);
  for (let i = 0; i < delta.length; i++) {
    const target = (delta[i] as number) >> 1;
    if ((outStart[target + 1] as number) > (outStart[target] as number)) delta[i] = (delta[i] as number) | 1;
  }

  function scan(text: string, onMatch: (payload: T, end: number) => void): void {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      const cls = ch < 128 ? (asciiClass[ch] as number) : (otherClass.get(ch) ?? 0);
      const t = delta[state * width + cls] as number;
      state = t >> 1;
      if ((t & 1) !== 0) {
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
