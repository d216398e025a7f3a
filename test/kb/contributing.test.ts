import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../kb/problem';
import { checkKnowledgeBaseFolder } from '../../kb/check/run-check';

/**
 * The contributor documentation is tested like code: every lint code the checker can emit is
 * documented with an example that the checker really prints, the worked example is a valid
 * entry, and the GitHub templates are well-formed and ask for what reviewers need.
 */
const contributing = readFileSync('CONTRIBUTING.md', 'utf8');
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** Every `KBnnn` code string in the checker's and loader's sources. */
function emittedCodes(): Set<string> {
  const files = [
    ...readdirSync('kb').filter((f) => f.endsWith('.ts')).map((f) => join('kb', f)),
    ...readdirSync('kb/check').filter((f) => f.endsWith('.ts')).map((f) => join('kb/check', f)),
    'matchers/codes/code-table.ts',
  ];
  const codes = new Set<string>();
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/'(KB\d{3})'/g)) codes.add(m[1] as string);
  return codes;
}

function documentedCodes(): string[] {
  return [...contributing.matchAll(/^\| \[(KB\d{3})\]\(#kb\d{3}\) \|/gm)].map((m) => m[1] as string);
}

describe('CONTRIBUTING.md lint codes', () => {
  it('documents exactly the codes the checker emits, each with a section and a failing fixture', () => {
    const emitted = [...emittedCodes()].sort();
    expect(documentedCodes().sort()).toEqual(emitted);
    for (const code of emitted) {
      expect(contributing, `section for ${code}`).toContain(`### ${code} — `);
      expect(existsSync(`test/fixtures/lint/${code}`), `fixture for ${code}`).toBe(true);
    }
  });

  it('shows example lines the checker really prints for each code', async () => {
    for (const code of documentedCodes()) {
      const section = contributing.split(`### ${code} — `)[1]?.split('\n### ')[0] ?? '';
      const block = /```\n([\s\S]*?)\n```/.exec(section)?.[1] ?? '';
      const shown = block.split('\n').filter((l) => l.trim().length > 0);
      expect(shown.length, `${code} has an example`).toBeGreaterThan(0);
      const dir = `test/fixtures/lint/${code}`;
      const { problems } = await checkKnowledgeBaseFolder({ kbDir: dir });
      const printed = problems.map((p) => formatProblem(p)
        .replaceAll(`${dir}/baseline/`, 'test/fixtures/baseline/')
        .replaceAll(`${dir}/`, 'kb/'));
      for (const line of shown) {
        const head = (line.split('...')[0] as string).split(' e.g. ')[0] as string;
        expect(printed.some((p) => p.startsWith(head.trimEnd())), `${code}: "${head}" is printed`).toBe(true);
      }
    }
  }, 120_000);
});

describe('CONTRIBUTING.md worked example', () => {
  it('is an entry that kb:check accepts, over the baseline logs, without warnings', async () => {
    const text = /<!-- worked-example:start -->\n```markdown\n([\s\S]*?)```\n<!-- worked-example:end -->/.exec(contributing)?.[1];
    expect(text).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'kb-worked-'));
    temps.push(dir);
    mkdirSync(join(dir, 'entries'));
    const id = /^id: (\S+)$/m.exec(text ?? '')?.[1] ?? 'missing';
    writeFileSync(join(dir, 'entries', `${id}.md`), text ?? '');
    const { problems, loaded } = await checkKnowledgeBaseFolder({ kbDir: dir });
    expect(problems).toEqual([]);
    expect(loaded.entries[0]?.front.examples.match.length).toBe(2);
  }, 60_000);

  it('names every signature condition with an example, and the commands to test locally', () => {
    for (const c of ['code', 'http', 'extension', 'path', 'event', 'text', 'regex']) expect(contributing).toMatch(new RegExp(`\\| \`${c}\` \\| \`- ${c}: `));
    for (const cmd of ['npm run --silent diagnose -- paste.log', 'npm run kb:check', 'npm start', 'http://localhost:3978', 'npm run kb:new -- --from paste.log']) {
      expect(contributing).toContain(cmd);
    }
    expect(contributing).toContain('](docs/kb-format.md');
  });
});

describe('kb/README.md', () => {
  it('points to CONTRIBUTING.md and explains the folder', () => {
    const readme = readFileSync('kb/README.md', 'utf8');
    expect(readme).toContain('(../CONTRIBUTING.md)');
    for (const part of ['`entries/`', '`codes/`', '`iis/request-filtering.yaml`', '`regex-safety.json`']) expect(readme).toContain(part);
  });
});

describe('GitHub templates', () => {
  interface IssueForm {
    name: string;
    description: string;
    body: { type: string; id?: string; attributes: { label?: string; options?: unknown[] }; validations?: { required?: boolean } }[];
  }
  for (const file of ['wrong-answer.yml', 'nothing-found.yml']) {
    it(`${file} is an issue form that asks for the redacted paste`, () => {
      const form = YAML.parse(readFileSync(`.github/ISSUE_TEMPLATE/${file}`, 'utf8')) as IssueForm;
      expect(form.name.length).toBeGreaterThan(5);
      expect(form.description.length).toBeGreaterThan(10);
      const paste = form.body.find((b) => b.id === 'paste');
      expect(paste?.type).toBe('textarea');
      expect(paste?.validations?.required).toBe(true);
      expect(paste?.attributes.label).toMatch(/redacted/i);
      const redacted = form.body.find((b) => b.type === 'checkboxes');
      expect(JSON.stringify(redacted)).toContain('"required":true');
      const ids = form.body.map((b) => b.id).filter((x) => x !== undefined);
      expect(new Set(ids).size).toBe(ids.length);
    });
  }
  it('names the two forms as the contributor guide does', () => {
    const names = ['wrong-answer.yml', 'nothing-found.yml'].map((f) => (YAML.parse(readFileSync(`.github/ISSUE_TEMPLATE/${f}`, 'utf8')) as IssueForm).name);
    expect(names).toEqual(['The bot gave a wrong answer', 'The bot found nothing']);
    for (const n of names) expect(contributing).toContain(`"${n}"`);
  });

  it('the pull request template asks what changed, the log excerpt and a checklist', () => {
    const pr = readFileSync('.github/pull_request_template.md', 'utf8');
    for (const heading of ['## What changed', '## Source', '## Log excerpt it was tested on', '## Checklist']) expect(pr).toContain(heading);
    expect(pr.match(/^- \[ \] /gm)?.length).toBeGreaterThanOrEqual(5);
    expect(pr).toContain('npm run kb:check');
    expect(pr).toContain('no_match');
  });

  it('CI runs the same command as .ci/run, on Ubuntu with Node 20', () => {
    const ci = YAML.parse(readFileSync('.github/workflows/ci.yml', 'utf8')) as {
      jobs: Record<string, { 'runs-on': string; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
    };
    const jobs = Object.values(ci.jobs);
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    expect(job?.['runs-on']).toMatch(/^ubuntu-/);
    expect(job?.steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(20);
    expect(job?.steps.filter((s) => s.run !== undefined).map((s) => s.run)).toEqual(['bash .ci/run']);
    expect(readFileSync('.ci/run', 'utf8')).toContain('npm test');
  });
});
