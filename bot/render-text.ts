import { suggestNextLogs } from '../matchers/next-logs';
import type { Diagnosis, SymptomAnswer } from '../matchers/types';
import { codeLabel } from './code-label';

const OFF_TOPIC_NEXT = 'Paste the lines around a failed download (CAS.log, ContentTransferManager.log, DataTransferService.log, SMSTS.log, the DP\'s IIS log) or a failed distribution (DistMgr.log, PkgXferMgr.log), or a bare error code such as 0x80190194.';
export const OFF_TOPIC_TEXT = `I only know Configuration Manager content download problems: this text has nothing of ConfigMgr content, a distribution point's IIS, BITS or the client's download logs in it. ${OFF_TOPIC_NEXT}`;

/** Why a text is off-topic, in a sentence: another product it names, or nothing of the domain. */
export function offTopicReason(d: Pick<Diagnosis, 'otherProduct'>): string {
  return d.otherProduct !== undefined
    ? `This text reads as another product's: it holds "${d.otherProduct}", a sign of another product or stack, and nothing specific to ConfigMgr content, so no KB entry applies.`
    : 'This text has nothing of ConfigMgr content, a distribution point\'s IIS, BITS or the client\'s download logs in it, so no KB entry applies.';
}

/** Said above a family answer that only the words of the text named (no line shows the symptom). */
export const LIKENESS_NOTE = 'A guess from your words: no line of this text shows the symptom itself, but the KB entries it reads like all belong to it. Paste the log lines around the failure to confirm it.';

/** The command line's readable report: what a support engineer reads in a terminal. */
export function renderTextReport(d: Diagnosis): string {
  const out: string[] = [];
  out.push(`== ${d.file ?? '(standard input)'}: ${d.format}, ${d.lines} line(s)`);
  for (const w of d.warnings) out.push(`   note: ${w}`);
  const familyLeads = d.symptom !== null && d.matches[0]?.basis === 'family';
  if (d.offTopic) {
    out.push('', d.otherProduct !== undefined ? `I only know Configuration Manager content download problems. ${offTopicReason(d)} If it is a ConfigMgr problem after all, ${OFF_TOPIC_NEXT.charAt(0).toLowerCase()}${OFF_TOPIC_NEXT.slice(1)}` : OFF_TOPIC_TEXT);
  } else if (familyLeads && d.symptom) {
    // A bare code or one line: what the code is comes first, then what it can mean here.
    out.push(...codeReport(d), ...familyReport(d.symptom));
  } else if (d.matches.length === 0) {
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
  if (!familyLeads) d.matches.forEach((m, i) => {
    out.push('', `${i + 1}. ${m.title}`);
    out.push(`   [${m.id}] confidence ${m.confidence}, score ${m.score}${m.basis === 'search' ? ' (full-text search only)' : m.basis === 'code' ? ' (shares an error code of the paste)' : ''}`);
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
    if (i === 0 && m.basis === 'signature' && m.confidence !== 'low' && d.symptom) {
      const others = d.symptom.causes.length - 1;
      out.push('', `   This is one cause of the symptom "${d.symptom.title}" [${d.symptom.id}]${others > 0 ? `, which has ${others} other known cause(s)` : ''}.`);
    }
  });
  if (!familyLeads) out.push(...codeReport(d));
  return out.join('\n') + '\n';
}

function codeReport(d: Diagnosis): string[] {
  if (d.codes.length === 0) return [];
  const out = ['', 'Error codes:'];
  for (const c of d.codes) {
    out.push(`  ${c.code} (${c.decimal})  ${codeLabel(c)}  [facility ${c.facility}]`);
    for (const n of c.notes) out.push(indent(`- ${n}`, 4));
  }
  return out;
}

/** A family answer: the symptom, its causes most likely first with how to tell each, the questions that narrow it, what to paste next. */
function familyReport(s: SymptomAnswer): string[] {
  const out = ['', `Symptom: ${s.title} [${s.id}]`];
  if (s.namedFrom === 'likeness') out.push(indent(LIKENESS_NOTE, 3));
  out.push(indent(s.summary, 3), '', `   Possible causes, most likely first for this paste (none is proven yet, all low confidence):`);
  s.causes.forEach((c, k) => {
    out.push(`     ${k + 1}. ${c.title} [${c.id}]`);
    out.push(indent(`How to tell: ${c.confirm}`, 8));
  });
  if (s.ruledOut.length > 0) out.push(`   Ruled out by what you said: ${s.ruledOut.join(', ')}`);
  if (s.questions.length > 0) {
    out.push('', '   To narrow it down:');
    for (const q of s.questions) out.push(`     - ${q.ask}`);
  }
  if (s.collect.length > 0) {
    out.push('', '   Paste next:');
    for (const c of s.collect) out.push(indent(`- ${c}`, 5));
  }
  return out;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.split('\n').map((l) => pad + l).join('\n');
}
