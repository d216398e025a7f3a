import { describe, expect, test } from 'vitest';
import { readConfig } from '../../bot/config';
import { Responder } from '../../bot/respond';
import { diagnoseText } from '../../matchers/diagnose';
import { fixture, realKb } from '../helpers/kb';

/**
 * The diagnosis the server returns says whether the paste was cut to MAX_PASTE_CHARS
 * (`cut: true`), apart from `partial`, which stays "the time budget ran out".
 */
describe('Responder: a paste cut to the paste limit is marked cut', () => {
  const seed = fixture('seeds/000-cas-webdav-drive-root.log');

  test('a paste within the limit has no cut field, so its shape is the --json one', () => {
    const responder = new Responder(realKb(), readConfig({}));
    const reply = responder.diagnose(seed);
    expect(reply.diagnosis.cut).toBeUndefined();
    expect('cut' in reply.diagnosis).toBe(false);
    expect(reply.diagnosis.partial).toBe(false);
    expect(reply.diagnosis.matches[0]?.id).toBe('webdav-drive-root-hash-mismatch');
  });

  test('a paste over the limit: cut is true, partial stays false, the warning stays, and only the start was read', () => {
    const responder = new Responder(realKb(), readConfig({ MAX_PASTE_CHARS: '400' }));
    const reply = responder.diagnose(seed);
    expect(reply.diagnosis.cut).toBe(true);
    expect(reply.diagnosis.partial).toBe(false);
    expect(reply.diagnosis.warnings[0]).toBe(`Only the first 400 of ${seed.length.toLocaleString('en-US')} characters were read; paste the part of the log around the failure, or attach the file in a personal chat.`);
    const direct = diagnoseText(seed.slice(0, 400), realKb().kb, { maxLineLength: 8192, maxLines: 200_000, timeBudgetMs: 5000 });
    expect(reply.diagnosis.lines).toBe(direct.lines);
    expect(reply.diagnosis.matches.map((m) => m.id)).toEqual(direct.matches.map((m) => m.id));
    expect(JSON.parse(JSON.stringify(reply.diagnosis))).toMatchObject({ cut: true, partial: false });
  });

  test('a paste exactly at the limit is not cut', () => {
    const responder = new Responder(realKb(), readConfig({ MAX_PASTE_CHARS: String(seed.length) }));
    expect(responder.diagnose(seed).diagnosis.cut).toBeUndefined();
  });

  test('the time budget running out is partial, not cut', () => {
    const responder = new Responder(realKb(), { ...readConfig({}), timeBudgetMs: 0 });
    const long = Array.from({ length: 1500 }, (_, i) => `Download failed for content PS100012.1 under context System, error 0x80091007 (${i})`).join('\n');
    expect(long.length).toBeLessThan(readConfig({}).maxPasteChars);
    const reply = responder.diagnose(long);
    expect(reply.diagnosis.partial).toBe(true);
    expect(reply.diagnosis.cut).toBeUndefined();
  });

  test('an attached file is never cut (it is refused over the byte limit instead), and NUL padding does not refuse it', () => {
    const responder = new Responder(realKb(), readConfig({}));
    const reply = responder.diagnoseFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seed, 'utf16le'), Buffer.alloc(128 * 1024)]), 'CAS.log');
    expect('diagnosis' in reply).toBe(true);
    if ('diagnosis' in reply) {
      expect(reply.diagnosis.cut).toBeUndefined();
      expect(reply.diagnosis.matches[0]?.id).toBe('webdav-drive-root-hash-mismatch');
    }
  });
});

describe('one default for the maximum line length', () => {
  test('the server reads MAX_LINE_LENGTH as 8192 by default, the core\'s and the command line\'s default', () => {
    expect(readConfig({}).maxLineLength).toBe(8192);
    const line = 'x'.repeat(8193);
    expect(diagnoseText(line, realKb().kb).warnings).toContain('1 line(s) longer than 8192 characters were cut to that length before matching.');
  });
});
