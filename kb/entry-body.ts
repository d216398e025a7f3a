/**
 * The Markdown body of an entry, cut into its `## ` sections. The resolution is a
 * numbered list; each item (with its continuation lines) is one step.
 */
export interface EntryBody {
  sections: Map<string, { text: string; line: number }>;
  steps: string[];
}

export const REQUIRED_SECTIONS = ['symptoms', 'cause', 'resolution'] as const;

export function parseEntryBody(body: string, firstLine: number): EntryBody {
  const sections = new Map<string, { text: string; line: number }>();
  let current: { name: string; line: number; lines: string[] } | undefined;
  const lines = body.split(/\r\n|\n|\r/);
  const close = (): void => {
    if (current) sections.set(current.name, { text: current.lines.join('\n').trim(), line: current.line });
  };
  lines.forEach((l, i) => {
    const h = /^##\s+(.+?)\s*#*\s*$/.exec(l);
    if (h && h[1] !== undefined) {
      close();
      current = { name: h[1].toLowerCase(), line: firstLine + i, lines: [] };
    } else if (current) {
      current.lines.push(l);
    }
  });
  close();
  return { sections, steps: numberedSteps(sections.get('resolution')?.text ?? '') };
}

function numberedSteps(text: string): string[] {
  const steps: string[] = [];
  let inStep = false;
  let afterBlank = false;
  for (const line of text.split('\n')) {
    const item = /^\s{0,3}\d{1,2}[.)]\s+(.*)$/.exec(line);
    if (item && item[1] !== undefined) {
      steps.push(item[1].trim());
      inStep = true;
      afterBlank = false;
    } else if (line.trim().length === 0) {
      afterBlank = true;
    } else if (inStep && (!afterBlank || /^\s/.test(line))) {
      // Continuation: directly under the item, or indented after a blank line.
      const last = steps.length - 1;
      steps[last] = `${steps[last]}\n${line.replace(/^\s{1,4}/, '')}`.trimEnd();
      afterBlank = false;
    } else {
      inStep = false;
    }
  }
  return steps;
}

/** The cause as one paragraph block, without Markdown headings. */
export function sectionText(body: EntryBody, name: string): string {
  return body.sections.get(name)?.text ?? '';
}
