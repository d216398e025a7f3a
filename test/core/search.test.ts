import { describe, expect, test } from 'vitest';
import { buildSearchIndex } from '../../kb/search-index';
import { searchTokens } from '../../kb/search-tokens';
import { realKb } from '../helpers/kb';

describe('search tokens', () => {
  test.each([
    ['0x80190194', ['0x80190194', '80190194']],
    ['80190194', ['80190194', '0x80190194']],
    ['-2145844844', ['80190194', '0x80190194']],
    ['404.7', ['404.7', '404']],
    ['OSDResults.exe.config', ['osdresults.exe.config', 'osdresults', 'exe', 'config']],
    ['C:\\Windows\\ccmcache\\a', ['c:\\windows\\ccmcache\\a', 'windows', 'ccmcache']],
  ])('%s', (input, expected) => {
    expect(searchTokens(input)).toEqual(expect.arrayContaining(expected));
  });
});

describe('full-text search over the real KB', () => {
  const loaded = realKb();
  const ids = (text: string): string[] =>
    [...loaded.kb.search(text).entries()].sort((a, b) => b[1] - a[1]).map(([i]) => loaded.kb.entries[i]?.id ?? '?');

  test.each([
    ['0x80190194'], ['80190194'], ['error: 0x80190194'], ['404.7'],
  ])('%s finds the request-filtering entry', (q) => {
    expect(ids(q)).toContain('iis-request-filtering-denied-extension');
  });

  test('file names are searchable', () => {
    expect(ids('OSDResults.exe.config')[0]).toBe('iis-request-filtering-denied-extension');
  });

  test.each(['-', '~', '^', '+', '*', 'error: 0x80190194', 'C:\\Windows\\CCM\\Logs\\CAS.log', '-hash mismatch', '"unterminated', 'field:value^2~1'])(
    'text that breaks lunr\'s query parser (%s) is searched without throwing',
    (q) => {
      expect(() => loaded.kb.search(q)).not.toThrow();
    },
  );

  test('a leading "-" does not exclude: "-multicast sparse" still finds the sparse-file entry', () => {
    expect(ids('-multicast sparse file')).toContain('wds-multicast-sparse-file-hash-mismatch');
  });

  test('an empty index answers nothing', () => {
    expect(buildSearchIndex([]).search('anything').size).toBe(0);
  });
});
