import { suggestNextLogs } from '../matchers/next-logs';
import type { Diagnosis } from '../matchers/types';

/** The command line's readable report: what a support engineer reads in a terminal. */
export function renderTextReport(d: Diagnosis): string {
  const out: string[] = [];
  out.push(`== ${d.file ?? '(standard input)'}: ${d.format}, ${d.lines} line(s)`);
  for (const w of d.warnings) out.push(`   note: ${w}`);
  if (d.matches.length === 0) {
    out.push('', 'No KB entry matches this paste.');
    const facts = [
      d.facts.http.length ? `HTTP statuses: ${d.facts.http.join(', ')}` : '',
      d.facts.files.length ? `files: ${d.facts.files.slice(0, 8).join(', ')}` : '',
      d.facts.events.length ? `events: ${d.facts.events.join(', ')}` : '',
      d.facts.packages.length ? `packages: ${d.facts.packages.join(', ')}` : '',
      d.facts.logs.length ? `logs: ${d.facts.logs.join(', ')}` : '',
    ].filter((s) => s.length > 0);
    if (facts.length) out.push(`Found: ${facts.join('; ')}`);
    out.push('Collect next:');
    for (const s of suggestNextLogs(d)) out.push(`  - ${s}`);
  }
  d.matches.forEach((m, i) => {
    out.push('', `${i + 1}. ${m.title}`);
    out.push(`   [${m.id}] confidence ${m.confidence}, score ${m.score}${m.basis === 'search' ? ' (full-text search only)' : ''}`);
    if (i > 0 && d.matches[0]?.confidence === 'high') return;
    out.push('', indent(`Cause: ${m.cause}`, 3));
    out.push('', '   Resolution:');
    m.resolution.forEach((step, k) => out.push(indent(`${k + 1}. ${step}`, 5)));
    if (m.links.length) {
      out.push('', '   Links:');
      for (const l of m.links) out.push(`     - ${l.title}: ${l.url}`);
    }
    if (m.evidence.length) {
      out.push('', '   Evidence:');
      for (const e of m.evidence) out.push(`     line ${e.line} [${e.signature}]: ${e.text}`);
    }
  });
  if (d.codes.length) {
    out.push('', 'Error codes:');
    for (const c of d.codes) {
      out.push(`  ${c.code} (${c.decimal})  ${c.name ?? 'unknown name'}${c.message ? ` - ${c.message}` : ''}  [facility ${c.facility}]`);
      for (const n of c.notes) out.push(indent(`- ${n}`, 4));
    }
  }
  return out.join('\n') + '\n';
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.split('\n').map((l) => pad + l).join('\n');
}
