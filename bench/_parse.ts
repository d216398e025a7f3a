import { readFileSync } from 'node:fs';
import { createLogParser } from '../matchers/parse/log-parser';
const file = process.argv[2] ?? '/tmp/kbb/data/mixed-10MB.v1.log';
const lines = readFileSync(file, 'utf8').split(/\r\n|\n|\r/);
for (let k = 0; k < 8; k++) { const t = performance.now(); const p = createLogParser({ fileName: file }); let n = 0; for (const l of lines) n += p.push(l).length; n += p.end().length; console.log((performance.now() - t).toFixed(0), n); }
