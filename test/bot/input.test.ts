import { describe, expect, it } from 'vitest';
import { fileAttachments, TEAMS_FILE } from '../../bot/attachments';
import { parseCommand } from '../../bot/commands';
import { ConfigError, readConfig } from '../../bot/config';
import { htmlToText } from '../../bot/html-to-text';
import { RateLimiter } from '../../bot/rate-limit';
import { messageText, textKind } from '../../bot/teams-bot';
import { fixture } from '../helpers/kb';

describe('htmlToText: the lines of a paste from its Teams HTML', () => {
  it('recovers lines from paragraphs, <br> and <pre><code>, and decodes entities', () => {
    const html = '<p>Error downloading file from http://&lt;DP_Server&gt;:80/a.config</p><p>Retrying download... InstallSoftware</p>'
      + '<div>first<br>second&nbsp;line</div><pre><code>  indented  1\n  indented  2\n</code></pre>';
    expect(htmlToText(html).split('\n')).toEqual([
      'Error downloading file from http://<DP_Server>:80/a.config',
      'Retrying download... InstallSoftware',
      'first',
      'second line',
      '  indented  1',
      '  indented  2',
    ]);
  });

  it('keeps every line of a source-document excerpt that Teams sent as one paragraph per line', () => {
    const seed = fixture('seeds/002-smsts-iis-config-extension.log').trimEnd().split('\n');
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const html = `<div>${seed.map((l) => (l ? `<p>${esc(l)}</p>` : '<p>&nbsp;</p>')).join('\n')}</div>`;
    expect(htmlToText(html).split('\n').filter((l) => l.trim())).toEqual(seed.filter((l) => l.trim()).map((l) => l.trim()));
  });

  it('drops the bot\'s own mention (both Teams forms) and keeps other people\'s', () => {
    const html = '<p><span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">KB Bot</span>&nbsp;look at this</p>'
      + '<p><at>KB Bot</at> and <at>Alex</at></p>';
    expect(htmlToText(html, { dropMentions: ['KB Bot'] })).toBe('look at this\nand Alex');
  });

  it('ignores scripts, styles and comments, and stays fast on hostile markup', () => {
    expect(htmlToText('<style>p{}</style><script>alert(1)</script><!-- note -->text')).toBe('text');
    const started = performance.now();
    htmlToText('<a "'.repeat(100_000));
    htmlToText('<!--'.repeat(100_000));
    htmlToText('<p title=\'x'.repeat(50_000));
    // Not a speed test: a quadratic scan of this input takes minutes, a linear one milliseconds.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('messageText', () => {
  it('removes the @mention and prefers the HTML when it has more lines', () => {
    const activity = {
      text: '<at>KB Bot</at> line one line two',
      recipient: { id: 'bot-1', name: 'KB Bot' },
      entities: [{ type: 'mention', text: '<at>KB Bot</at>', mentioned: { id: 'bot-1', name: 'KB Bot' } }],
      attachments: [{ contentType: 'text/html', content: '<p><at>KB Bot</at> line one</p><p>line two</p>' }],
    };
    expect(messageText(activity, 10_000)).toBe('line one\nline two');
    expect(messageText({ ...activity, attachments: [] }, 10_000)).toBe('line one line two');
  });

  it('reads text that Teams sent as HTML (textFormat xml, or unmistakable tags) as lines, entities decoded', () => {
    const recipient = { id: 'bot-1', name: 'KBBot' };
    const html = '<p><at>KBBot</at> see</p><pre><code>&lt;![LOG[one]LOG]!&gt;&lt;time="1"&gt;<br>&lt;![LOG[two]LOG]!&gt;</code></pre><div>a&amp;b</div>';
    const lines = ['see', '<![LOG[one]LOG]!><time="1">', '<![LOG[two]LOG]!>', 'a&b'];
    expect(messageText({ text: html, textFormat: 'xml', recipient }, 10_000).split('\n')).toEqual(lines);
    expect(messageText({ text: html, recipient }, 10_000).split('\n')).toEqual(lines);
    expect(messageText({ text: 'first &lt;DP&gt;\nsecond', textFormat: 'xml', recipient }, 10_000)).toBe('first <DP>\nsecond');
  });

  it('leaves plain text that merely contains "<" alone', () => {
    for (const [text, format] of [
      ['<![LOG[Download() failed]LOG]!><time="10:00:00.000+000" date="01-02-2024" component="InstallSoftware">\n<![LOG[<p>x</p>]LOG]!>', undefined],
      ['Error downloading file from http://<DP_Server>:80/a.config\n<Content ContentID="C_1" Version="2">', 'xml'],
      ['<Content ContentID="C_1">\n  <Location>http://dp/sms &amp; more</Location>', 'plain'],
      ['a < b && c > d', undefined],
    ] as const) {
      expect(textKind(text, format)).toBe('plain');
      expect(messageText({ text, textFormat: format }, 10_000)).toBe(text);
    }
    expect(textKind('<at>KB Bot</at> 0x80190194', undefined)).toBe('plain');
  });
});

describe('fileAttachments', () => {
  it('reads Teams file downloads and Emulator content URLs, and refuses pictures', () => {
    const { files, refused } = fileAttachments([
      { contentType: 'text/html', content: '<p>x</p>' },
      { contentType: TEAMS_FILE, name: 'CAS.log', content: { downloadUrl: 'https://files.example/cas', fileType: 'log' } },
      { contentType: 'application/octet-stream', name: 'smsts.log', contentUrl: 'http://127.0.0.1:1/smsts' },
      { contentType: 'image/png', name: 'screen.png', contentUrl: 'https://x/y.png' },
    ]);
    expect(files).toEqual([{ name: 'CAS.log', url: 'https://files.example/cas' }, { name: 'smsts.log', url: 'http://127.0.0.1:1/smsts' }]);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain('screen.png');
  });
});

describe('parseCommand', () => {
  it('reads the four commands on one short line only', () => {
    expect(parseCommand('help')).toEqual({ kind: 'help' });
    expect(parseCommand('  Code 0x80190194 ')).toEqual({ kind: 'code', arg: '0x80190194' });
    expect(parseCommand('search hash mismatch')).toEqual({ kind: 'search', arg: 'hash mismatch' });
    expect(parseCommand('kb iis-request-filtering-denied-extension')).toEqual({ kind: 'kb', arg: 'iis-request-filtering-denied-extension' });
    expect(parseCommand('code')).toEqual({ kind: 'help' });
    expect(parseCommand('code 0x80190194\nError downloading file')).toBeUndefined();
    expect(parseCommand('Download() failed with 0x80004005 InstallSoftware')).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  it('allows N messages a minute per conversation, tells once, then stays quiet until the window moves', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(3, () => now);
    expect([1, 2, 3].map(() => limiter.check('a').allowed)).toEqual([true, true, true]);
    expect(limiter.check('b').allowed).toBe(true);
    const first = limiter.check('a');
    expect(first).toEqual({ allowed: false, retryAfterSeconds: 60, notify: true });
    expect(limiter.check('a')).toMatchObject({ allowed: false, notify: false });
    now += 60_001;
    expect(limiter.check('a').allowed).toBe(true);
  });

  it('is off at 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 100; i++) expect(limiter.check('a').allowed).toBe(true);
  });
});

describe('readConfig', () => {
  it('has safe defaults: loopback and the web page in anonymous mode, all interfaces and no page with an app ID', () => {
    const local = readConfig({});
    expect(local).toMatchObject({ port: 3978, host: '127.0.0.1', webUi: true, logPastedText: false, appId: '' });
    const hosted = readConfig({ MicrosoftAppId: 'abc', PORT: '8080' });
    expect(hosted).toMatchObject({ port: 8080, host: '0.0.0.0', webUi: false });
    expect(readConfig({ MicrosoftAppId: 'abc', WEB_UI: 'on' }).webUi).toBe(true);
    expect(readConfig({ WEB_UI: 'off' }).webUi).toBe(false);
  });

  it('names the variable and the allowed range when a value is wrong', () => {
    expect(() => readConfig({ MAX_BODY_BYTES: 'lots' })).toThrow(ConfigError);
    expect(() => readConfig({ MAX_BODY_BYTES: 'lots' })).toThrow(/MAX_BODY_BYTES must be a whole number/);
    expect(() => readConfig({ WEB_UI: 'maybe' })).toThrow(/WEB_UI must be auto, on or off/);
    expect(() => readConfig({ LOG_PASTED_TEXT: 'sometimes' })).toThrow(/LOG_PASTED_TEXT/);
  });
});
