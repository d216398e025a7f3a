/**
 * The Markdown body of an entry file as numbered lines, each with the `## ` section it is in,
 * so that body checks can point at the exact line of a problem.
 */
export interface BodyLine {
  line: number;
  text: string;
  /** Lower-case name of the section the line is in; '' before the first heading. */
  section: string;
}

export function bodyLines(fileText: string): BodyLine[] {
  const lines = fileText.split(/\r\n|\n|\r/);
  let i = 1;
  while (i < lines.length && !/^---\s*$/.test(lines[i] as string)) i++;
  const out: BodyLine[] = [];
  let section = '';
  let fence = false;
  for (let n = i + 1; n < lines.length; n++) {
    const text = lines[n] as string;
    if (/^\s*(```|~~~)/.test(text)) fence = !fence;
    const h = fence ? null : /^##\s+(.+?)\s*#*\s*$/.exec(text);
    if (h?.[1] !== undefined) section = h[1].toLowerCase();
    out.push({ line: n + 1, text, section });
  }
  return out;
}
