import type { Document, LineCounter } from 'yaml';

export type Locate = (path: readonly (string | number)[]) => { line: number; column: number };

/**
 * Line and column of a key path in a parsed YAML document, for problems that name the
 * exact place to fix. A path that does not exist points at its nearest existing parent.
 * `offset` is added to lines when the YAML starts below line 1 of its file (front-matter).
 */
export function yamlLocator(doc: Document, lineCounter: LineCounter, offset = 0): Locate {
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) {
        const pos = lineCounter.linePos(range[0]);
        return { line: pos.line + offset, column: pos.col };
      }
    }
    return { line: 1, column: 1 };
  };
}
