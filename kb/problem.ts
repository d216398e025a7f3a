/**
 * A problem found in the KB, printed as `file:line:column CODE message` so that editors
 * and CI annotations can jump to it. Codes are stable; CONTRIBUTING.md explains each.
 */
export interface KbProblem {
  file: string;
  line: number;
  column: number;
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

export function formatProblem(p: KbProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.code} ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}

export class KbLoadError extends Error {
  constructor(readonly problems: readonly KbProblem[]) {
    super(
      `support-kb-bot: the KB has ${problems.filter((p) => p.severity === 'error').length} error(s); fix them and start again:\n` +
        problems.filter((p) => p.severity === 'error').slice(0, 20).map(formatProblem).join('\n'),
    );
    this.name = 'KbLoadError';
  }
}
