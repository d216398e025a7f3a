/**
 * `npm run package`: writes the Teams app package (manifest.json and the two icons in one
 * zip) for upload in Teams or the Teams admin centre, with the bot's app ID and the
 * publisher details taken from the environment (or `.env`). See docs/teams-setup.md.
 *
 *   npm run package [-- --out path/to/app.zip]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';

export const APP_DIR = fileURLToPath(new URL('../appPackage/', import.meta.url));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = /\$\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

export class PackageError extends Error {}

export interface TeamsPackage {
  zip: Uint8Array;
  manifest: Record<string, unknown>;
  warnings: string[];
}

/** Builds the package in memory; throws PackageError saying what to set when a value is missing or wrong. */
export function buildTeamsPackage(env: Readonly<Record<string, string | undefined>>, dir: string = APP_DIR): TeamsPackage {
  const warnings: string[] = [];
  const appId = (env['MicrosoftAppId'] ?? '').trim();
  if (!GUID.test(appId)) {
    throw new PackageError(appId
      ? `MicrosoftAppId "${appId}" is not a GUID; copy the "Microsoft App ID" of the Azure Bot resource (Settings > Configuration)`
      : 'set MicrosoftAppId to the Azure Bot\'s "Microsoft App ID" (in the environment or in .env) before packaging; see docs/teams-setup.md');
  }
  const teamsAppId = (env['TEAMS_APP_ID'] ?? '').trim() || appId;
  if (!GUID.test(teamsAppId)) throw new PackageError(`TEAMS_APP_ID "${teamsAppId}" is not a GUID; leave it empty to use the bot's app ID`);
  const version = (env['TEAMS_APP_VERSION'] ?? '').trim() || projectVersion(dir);
  if (!/^\d{1,5}\.\d{1,5}\.\d{1,5}$/.test(version)) throw new PackageError(`TEAMS_APP_VERSION "${version}" must look like 1.2.3`);
  const site = (env['TEAMS_DEVELOPER_URL'] ?? '').trim();
  if (!site) warnings.push('TEAMS_DEVELOPER_URL is not set: https://example.com is used for the publisher links (fine for sideloading, not for publishing)');
  const values: Record<string, string> = {
    MicrosoftAppId: appId,
    TEAMS_APP_ID: teamsAppId,
    VERSION: version,
    TEAMS_DEVELOPER_NAME: (env['TEAMS_DEVELOPER_NAME'] ?? '').trim() || 'Support KB maintainers',
    TEAMS_DEVELOPER_URL: site || 'https://example.com',
    TEAMS_PRIVACY_URL: (env['TEAMS_PRIVACY_URL'] ?? '').trim() || site || 'https://example.com/privacy',
    TEAMS_TERMS_URL: (env['TEAMS_TERMS_URL'] ?? '').trim() || site || 'https://example.com/terms',
  };
  for (const key of ['TEAMS_DEVELOPER_URL', 'TEAMS_PRIVACY_URL', 'TEAMS_TERMS_URL']) {
    if (!/^https:\/\/\S+$/.test(values[key] as string)) throw new PackageError(`${key} must be an https:// address`);
  }
  const template = JSON.parse(readFileSync(resolve(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const manifest = fill(template, values) as Record<string, unknown>;
  const icons = manifest['icons'] as { color: string; outline: string };
  const color = readIcon(dir, icons.color, 192);
  const outline = readIcon(dir, icons.outline, 32);
  const zip = zipSync({
    'manifest.json': new TextEncoder().encode(JSON.stringify(manifest, null, 2)),
    [icons.color]: color,
    [icons.outline]: outline,
  }, { level: 9, mtime: new Date('2020-01-01T00:00:00Z') });
  return { zip, manifest, warnings };
}

/** Replaces `${{NAME}}` in every string of the template (values never become JSON syntax). */
function fill(node: unknown, values: Readonly<Record<string, string>>): unknown {
  if (typeof node === 'string') {
    return node.replace(PLACEHOLDER, (_m, name: string) => {
      const v = values[name];
      if (v === undefined) throw new PackageError(`appPackage/manifest.json uses \${{${name}}}, which the package script does not know`);
      return v;
    });
  }
  if (Array.isArray(node)) return node.map((n) => fill(n, values));
  if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v, values)]));
  return node;
}

function readIcon(dir: string, name: string, size: number): Uint8Array {
  const bytes = readFileSync(resolve(dir, name));
  const isPng = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!isPng || bytes.readUInt32BE(16) !== size || bytes.readUInt32BE(20) !== size) {
    throw new PackageError(`appPackage/${name} must be a ${size}x${size} PNG`);
  }
  return new Uint8Array(bytes);
}

function projectVersion(dir: string): string {
  const pkg = JSON.parse(readFileSync(resolve(dir, '..', 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '1.0.0';
}

function main(argv: readonly string[]): number {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const outIndex = argv.indexOf('--out');
  const out = resolve(outIndex >= 0 && argv[outIndex + 1] ? (argv[outIndex + 1] as string) : resolve(APP_DIR, 'build', 'appPackage.zip'));
  let pkg: TeamsPackage;
  try {
    pkg = buildTeamsPackage(process.env);
  } catch (e) {
    if (!(e instanceof PackageError)) throw e;
    process.stderr.write(`package: ${e.message}\n`);
    return 2;
  }
  for (const w of pkg.warnings) process.stderr.write(`package: note: ${w}\n`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, pkg.zip);
  const bot = (pkg.manifest['bots'] as { botId: string }[])[0];
  process.stdout.write(`Wrote ${out} (${pkg.zip.length} bytes) for bot ${bot?.botId}, version ${String(pkg.manifest['version'])}.\nUpload it in Teams: Apps > Manage your apps > Upload an app > Upload a custom app.\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
