import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { KB_DIR } from '../kb/load-kb';
import { createRandom } from './random';
import { failureMessage, signatureSpec, type SignatureSpec } from './signature-specs';

/**
 * Writes a KB in our own format with a chosen number of generated signatures (five per
 * entry), next to the shipped code tables and IIS defaults, and the same conditions as
 * ripgrep patterns (`patterns.txt`, one per line). Loaded with `loadKbFromDir`, which
 * compiles the signatures without the regex-safety proof (the generated regexes are
 * simple: literal phrases followed by bounded classes).
 */
export interface GeneratedKb {
  dir: string;
  patternsFile: string;
  signatures: number;
  entries: number;
  patterns: number;
}

export const SIGNATURES_PER_ENTRY = 5;

export function generateKb(root: string, signatures: number, perEntry = SIGNATURES_PER_ENTRY): GeneratedKb {
  const dir = join(root, `kb-v2-${signatures}-sigs-${perEntry}`);
  const patternsFile = join(dir, 'patterns.txt');
  const entries = Math.ceil(signatures / perEntry);
  const done = join(dir, '.complete');
  const specs: SignatureSpec[] = [];
  for (let i = 0; i < signatures; i++) specs.push(signatureSpec(i));
  const patterns = [...new Set(specs.flatMap((s) => s.rgPatterns))];
  if (existsSync(done)) return { dir, patternsFile, signatures, entries, patterns: patterns.length };

  for (const sub of ['entries', 'codes', 'iis']) mkdirSync(join(dir, sub), { recursive: true });
  for (const f of readdirSync(join(KB_DIR, 'codes'))) copyFileSync(join(KB_DIR, 'codes', f), join(dir, 'codes', f));
  copyFileSync(join(KB_DIR, 'iis', 'request-filtering.yaml'), join(dir, 'iis', 'request-filtering.yaml'));
  // The situations and the domain vocabulary are read for every record, as with the real KB.
  for (const f of ['situations.yaml', 'domain.yaml']) copyFileSync(join(KB_DIR, f), join(dir, f));
  const r = createRandom(signatures);
  for (let e = 0; e < entries; e++) {
    const own = specs.slice(e * perEntry, (e + 1) * perEntry);
    const first = own[0] as SignatureSpec;
    const id = `generated-${String(e).padStart(5, '0')}`;
    const front = {
      id,
      title: `${first.phrase} (generated cause ${e})`,
      products: ['ConfigMgr current branch'],
      tags: ['generated', ...new Set(own.flatMap((s) => s.phrase.toLowerCase().split(' ').filter((w) => w.length > 3)))].slice(0, 12),
      signatures: own.map((s) => s.def),
      links: [{ title: 'Content management in Configuration Manager', url: 'https://learn.microsoft.com/mem/configmgr/core/servers/deploy/configure/fundamental-concepts-for-content-management' }],
      examples: { match: [failureMessage(first.index, r)], no_match: ['Download completed for content PS100012.1 under context System'] },
    };
    const body = [
      '## Symptoms',
      `Downloads stop and the client logs show "${first.phrase}" for one package while other packages download.`,
      own.slice(1).map((s) => `Related messages: "${s.phrase}".`).join(' '),
      '',
      '## Cause',
      `The ${first.phrase.toLowerCase()} step fails because the content it needs is not reachable from the client (cause ${e}).`,
      '',
      '## Resolution',
      '1. Check that the distribution point answers on HTTP from the client.',
      `2. Look for "${first.phrase}" in the client logs and note the package ID.`,
      '3. Redistribute the package and retry the deployment.',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'entries', `${id}.md`), `---\n${YAML.stringify(front, { lineWidth: 0 })}---\n${body}`);
  }
  writeFileSync(patternsFile, patterns.join('\n') + '\n');
  writeFileSync(done, new Date().toISOString());
  return { dir, patternsFile, signatures, entries, patterns: patterns.length };
}
