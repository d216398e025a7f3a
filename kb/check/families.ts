import { diagnoseText } from '../../matchers/diagnose';
import { parseCodeSpelling } from '../../matchers/facts/codes';
import type { LoadedKb } from '../load-kb';
import type { KbProblem } from '../problem';

/**
 * Checks the symptom families as entries are checked: every example runs through the
 * whole diagnosis, and every entry that looks for one of a family's codes is either a
 * member of it or is listed under `not_members` with the reason.
 *
 * - KB407 a match example is not recognised as this family
 * - KB408 a match example's `first` cause does not come first
 * - KB409 a no_match example is recognised as this family
 * - KB410 an entry looks for a family code but is neither a member nor a listed non-member
 * - KB411 an entry is both a member and a non-member
 */
export function checkFamilies(loaded: LoadedKb): KbProblem[] {
  const problems: KbProblem[] = [];
  for (const family of loaded.families) {
    const id = family.def.id;
    family.examples.match.forEach((ex, i) => {
      const d = diagnoseText(ex.text, loaded.kb);
      const at = family.locate(['examples', 'match', i]);
      if (d.symptom?.id !== id) {
        const got = d.offTopic ? 'the text was judged off-topic' : d.symptom ? `it was recognised as ${d.symptom.id}` : 'no family was recognised';
        problems.push({ file: family.file, ...at, code: 'KB407', severity: 'error', message: `match example ${i + 1} is not recognised as ${id}: ${got}; add the phrase, code or status it shows to recognize, or change the example` });
        return;
      }
      const first = d.symptom.causes[0]?.id;
      if (ex.first !== undefined && first !== ex.first) {
        problems.push({
          file: family.file, ...family.locate(['examples', 'match', i, 'first']), code: 'KB408', severity: 'error',
          message: `match example ${i + 1} should put ${ex.first} first but puts ${first ?? 'nothing'} first (order: ${d.symptom.causes.map((c) => c.id).join(', ')}); give the member the situations the text establishes (favored_by, requires) or adjust the weights`,
        });
      }
    });
    family.examples.no_match.forEach((text, i) => {
      const d = diagnoseText(text, loaded.kb);
      if (d.symptom?.id === id) {
        problems.push({ file: family.file, ...family.locate(['examples', 'no_match', i]), code: 'KB409', severity: 'error', message: `no_match example ${i + 1} is recognised as ${id}: a recognize phrase is too broad` });
      }
    });
    const members = new Set(family.memberIds);
    const excused = new Set(family.notMembers.map((n) => n.entry));
    family.notMembers.forEach((n, i) => {
      if (members.has(n.entry)) problems.push({ file: family.file, ...family.locate(['not_members', i, 'entry']), code: 'KB411', severity: 'error', message: `${n.entry} is listed as a member and as a non-member; keep one` });
    });
    const familyCodes = new Set(family.def.recognize.codes);
    for (const entry of loaded.entries) {
      if (members.has(entry.front.id) || excused.has(entry.front.id)) continue;
      const shared = entryCodes(entry.front.signatures).filter((c) => familyCodes.has(c));
      if (shared.length === 0) continue;
      const hex = shared.map((c) => '0x' + c.toString(16).toUpperCase().padStart(8, '0')).join(', ');
      problems.push({
        file: family.file, ...family.locate(['members']), code: 'KB410', severity: 'error',
        message: `${entry.front.id} looks for ${hex}, a code of this family, but is not a member: add it to members (with weight, why and confirm) or to not_members with the reason`,
      });
    }
  }
  return problems;
}

function entryCodes(signatures: LoadedKb['entries'][number]['front']['signatures']): number[] {
  const out = new Set<number>();
  for (const s of signatures) {
    for (const c of [...(s.all ?? []), ...(s.any ?? [])]) {
      if (!('code' in c)) continue;
      for (const raw of Array.isArray(c.code) ? c.code : [c.code]) {
        const v = typeof raw === 'number' ? raw >>> 0 : parseCodeSpelling(String(raw));
        if (v !== undefined) out.add(v);
      }
    }
  }
  return [...out];
}
