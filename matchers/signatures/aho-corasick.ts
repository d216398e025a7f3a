/**
 * Aho–Corasick automaton: finds every needle in a line in one pass, however many
 * needles there are, so the cost of scanning grows with the log, not with the KB.
 * Needles and haystacks are compared as given; callers lower-case both.
 */
export interface AhoCorasick<T> {
  /** Calls `onMatch` with the payloads of every needle found in `haystack`. */
  search(haystack: string, onMatch: (payload: T) => void): void;
  readonly size: number;
}

interface Node<T> {
  next: Map<number, number>;
  fail: number;
  out: T[];
}

export function buildAhoCorasick<T>(needles: ReadonlyArray<readonly [string, T]>): AhoCorasick<T> {
  const nodes: Node<T>[] = [{ next: new Map(), fail: 0, out: [] }];
  for (const [needle, payload] of needles) {
    if (needle.length === 0) continue;
    let state = 0;
    for (let i = 0; i < needle.length; i++) {
      const ch = needle.charCodeAt(i);
      const node = nodes[state] as Node<T>;
      let next = node.next.get(ch);
      if (next === undefined) {
        next = nodes.length;
        nodes.push({ next: new Map(), fail: 0, out: [] });
        node.next.set(ch, next);
      }
      state = next;
    }
    (nodes[state] as Node<T>).out.push(payload);
  }
  // Breadth-first failure links; outputs of the failure state are merged in.
  const queue: number[] = [];
  for (const child of (nodes[0] as Node<T>).next.values()) queue.push(child);
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q] as number;
    const node = nodes[s] as Node<T>;
    for (const [ch, child] of node.next) {
      queue.push(child);
      let f = node.fail;
      while (f !== 0 && !(nodes[f] as Node<T>).next.has(ch)) f = (nodes[f] as Node<T>).fail;
      const target = (nodes[f] as Node<T>).next.get(ch);
      const childNode = nodes[child] as Node<T>;
      childNode.fail = target !== undefined && target !== child ? target : 0;
      const inherited = (nodes[childNode.fail] as Node<T>).out;
      if (inherited.length > 0) childNode.out = childNode.out.concat(inherited);
    }
  }
  return {
    size: needles.length,
    search(haystack, onMatch) {
      let state = 0;
      for (let i = 0; i < haystack.length; i++) {
        const ch = haystack.charCodeAt(i);
        while (state !== 0 && !(nodes[state] as Node<T>).next.has(ch)) state = (nodes[state] as Node<T>).fail;
        state = (nodes[state] as Node<T>).next.get(ch) ?? 0;
        const out = (nodes[state] as Node<T>).out;
        for (let k = 0; k < out.length; k++) onMatch(out[k] as T);
      }
    },
  };
}
