import { formatProblem, type KbProblem } from '../problem';

/**
 * How kb:check prints problems: `file:line:column CODE message` for people and editors,
 * or GitHub workflow commands (`::error file=…,line=…,col=…::…`) that put each problem
 * on the changed line of a pull request.
 */
export type OutputFormat = 'text' | 'github';

export function sortProblems(problems: readonly KbProblem[]): KbProblem[] {
  return [...problems].sort((a, b) =>
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
}

export function formatGithub(p: KbProblem): string {
  const props = `file=${escapeProperty(p.file)},line=${p.line},col=${p.column},title=${escapeProperty(`${p.code} (kb:check)`)}`;
  return `::${p.severity === 'error' ? 'error' : 'warning'} ${props}::${escapeData(`${p.code} ${p.message}`)}`;
}

export function formatLine(p: KbProblem, format: OutputFormat): string {
  return format === 'github' ? formatGithub(p) : formatProblem(p);
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
