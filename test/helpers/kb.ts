import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadKbFromDir, type LoadedKb } from '../../kb/load-kb';
import { diagnoseText } from '../../matchers/diagnose';
import type { Diagnosis } from '../../matchers/types';

let cached: LoadedKb | undefined;

/** The project's real KB, loaded once per test file. */
export function realKb(): LoadedKb {
  cached ??= loadKbFromDir();
  return cached;
}

export function fixturePath(rel: string): string {
  return fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));
}

export function fixture(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

export function diagnose(text: string, fileName?: string): Diagnosis {
  return diagnoseText(text, realKb().kb, { fileName });
}
