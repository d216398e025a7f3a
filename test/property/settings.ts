import fc from 'fast-check';

/**
 * Property tests run with a fixed seed so that CI is repeatable; set PROPERTY_SEED to
 * explore other inputs. On failure fast-check prints the seed and the shrunk
 * counterexample, which reproduce the failure.
 */
export const SEED = Number(process.env['PROPERTY_SEED'] ?? 20261121);

export function options(numRuns: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns };
}

/** One UTF-16 code unit of any kind, weighted towards the ones that break parsers: line breaks, NUL, controls, lone surrogates. */
export const hostileUnit: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'abcdefxyzABCDEF0123456789 .:/\\-_=()[]{}<>"\'!?$%#@') },
  { weight: 2, arbitrary: fc.constantFrom('\r', '\n', '\r\n', '\t', '\u0000', '\u0001', '\u001b', '\u007f') },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff', '\ud83d\ude00', '\u2019', '\u201c', '\u2013', '\u00a0', '\u200b', 'İ', 'ß', 'K') },
);

export const hostileText = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(hostileUnit, { maxLength }).map((units) => units.join(''));

/** Words and spellings the extractors look for, so that random texts hit their edge cases. */
export const LOG_TOKENS = [
  'error', 'Error ', 'ERROR', 'err', 'hr', 'HRESULT', 'hresult=', 'hr=', 'code', 'exit code', 'status', 'Status code', 'result',
  'returned', 'failed with', ' is ', 'is', ' ', '  ', '\t', ':', '=', '#', '0x', '0X', 'x', 'L', '-', '.', ',', ';', '(', ')',
  '80070005', '8007000E', '80190194', 'c0000005', 'deadbeef', '00000000', '2147942405', '-2147024891', '2148077575', '4294967295',
  '1', '2', '3', '4', '404', '404.7', '500.19', 'HTTP/1.1', 'http', 'HTTP Error', 'event', 'Event ID', 'ID', '16384',
  'PS100012', 'C0100978', 'XPS100012', 'abc', '$', '{', '-PS1', '/', '//', '\\', '\\\\', 'C:\\', 'http://dp01/', 'mcs://',
  'x.config', 'bin', '%20', '%E2%82%AC', '"', "'", '!', ']', '[', 'é', '\u2013', '\u0000', 'A', 'Z', '9',
];

export const logLike = (maxTokens: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...LOG_TOKENS), { maxLength: maxTokens }).map((t) => t.join(''));
