/**
 * The longest run of plain characters that every match of a regular expression must
 * contain. Lines without it cannot match, so the regex is run only on lines where the
 * prefilter found it. Returns undefined when no safe literal can be told (alternation
 * at the top level, or no run of three characters), and the regex then runs on every line.
 */
export function requiredLiteral(source: string): string | undefined {
  let depth = 0;
  let run = '';
  let best = '';
  const flush = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (depth > 0) {
      if (ch === '\\') i++;
      else if (ch === '(') depth++;
      else if (ch === ')') depth--;
      else if (ch === '[') i = skipClass(source, i);
      if (depth === 0) {
        // A group may be optional or repeated; what follows it starts a new run.
        run = '';
      }
      continue;
    }
    if (ch === '|') return undefined;
    if (ch === '(') { flush(); depth = 1; continue; }
    if (ch === '[') { flush(); i = skipClass(source, i); continue; }
    if (ch === '^' || ch === '$') { flush(); continue; }
    if (ch === '.') { flush(); continue; }
    let literal: string | undefined;
    if (ch === '\\') {
      const next = source[i + 1];
      i++;
      if (next !== undefined && /[\\^$.|?*+()[\]{}/\-'"<>:=!,#% &@~`;]/.test(next)) literal = next;
      else { flush(); continue; }
    } else if ('*+?{'.includes(ch)) {
      flush();
      continue;
    } else {
      literal = ch;
    }
    const q = source[i + 1];
    if (q === '?' || q === '*' || (q === '{' && /^\{0[,}]/.test(source.slice(i + 1)))) {
      flush();
      continue;
    }
    run += literal.toLowerCase();
    if (q === '+' || q === '{') flush();
  }
  flush();
  return best.length >= 3 ? best : undefined;
}

function skipClass(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return source.length;
}
