import { diagnoseText } from '../matchers/diagnose';
import { loadKbFromDir } from '../kb/load-kb';
const kb = loadKbFromDir().kb;
const cases: [string, string][] = [
  ['heading spaces', 'a.log' + ' '.repeat(8000) + 'x'],
  ['error spaces', 'error' + ' '.repeat(8000) + 'x'],
  ['http spaces', 'http' + ' '.repeat(8000) + 'x'],
  ['event spaces', 'event' + ' '.repeat(8000) + 'x'],
  ['error spaces many', ('error' + ' '.repeat(2000) + 'x\n').repeat(50)],
  ['cmtrace multi', '<![LOG[error' + (' '.repeat(8000) + '\n').repeat(300) + 'x]LOG]!><time="1" component="CAS" type="3">'],
  ['1MB line', 'error 0x80070005 '.repeat(60000)],
  ['slashes', '/a'.repeat(400000)],
  ['dots url', 'http://' + '.'.repeat(8000) + 'x'],
  ['dots path', 'C:\\' + ';'.repeat(8000) + 'x'],
  ['win unc', '\\\\' + 'a'.repeat(8000)],
  ['status spaces', 'status' + ' '.repeat(8000) + 'x'],
  ['prose words', 'abc '.repeat(2000)],
  ['word hyphen', 'a' + '-'.repeat(8000) + '!'],
  ['event block', 'Event ID: 4\n' + 'x'.repeat(8000)],
  ['ms heading', 'CAS.log' + ' '.repeat(3000) + 'file' + ' '.repeat(3000) + 'x'],
  ['backslashes', '\\\\a'.repeat(300000)],
];
for (const [name, text] of cases.filter(([n]) => !process.argv[2] || n === process.argv[2])) {
  const t = performance.now();
  const d = diagnoseText(text, kb, { maxLineLength: 8192 });
  console.log(name.padEnd(20), (performance.now() - t).toFixed(0), 'ms', d.lines, d.warnings.length, d.partial);
}
