import { describe, expect, it } from 'vitest';
import { extractPackageIds } from '../../matchers/facts/extract-facts';

/** The look-behind regex the one-pass reader replaces (kept in test/property/reference.ts too). */
function byRegex(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\w${-])([A-Z][A-Z0-9]{2}[0-9A-F]{5})(?![\w-])/g)) {
    const id = m[1] as string;
    if (/\d/.test(id.slice(3)) && !out.includes(id)) out.push(id);
  }
  return out;
}

describe('package IDs read in one pass', () => {
  const lines = [
    'Download completed for content PS100012.1 under context System',
    'CCMDTS job {5C9A…} for content C0100978 and PS100012, then PS100012 again',
    'Location request for \\\\DP01\\SMSPKGD$\\PS10001A\\ and http://dp01/SMS_DP_SMSPKG$/PS1000AB/setup.exe',
    'Not IDs: XPS100012 PS1000123 ps100012 PS1ABCDE $PS100012 {PS100012 PS100012- -PS100012 PS100012_ A_S10001',
    'IDs at the edges:PS100012',
    'PS100013 at the start, a dollar after PS100014$ and a brace after PS100015}',
    'Unicode around: éPS100016é and “PS100017”',
    '',
  ];
  it.each(lines)('%s', (line) => {
    expect(extractPackageIds(line)).toEqual(byRegex(line));
  });

  it('finds what a user sees in a log line, once each, in order', () => {
    expect(extractPackageIds(lines[1] as string)).toEqual(['C0100978', 'PS100012']);
    expect(extractPackageIds(lines[3] as string)).toEqual([]);
    expect(extractPackageIds(lines[5] as string)).toEqual(['PS100013', 'PS100014', 'PS100015']);
  });
});
