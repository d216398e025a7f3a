import type { HttpFact } from '../types';

/**
 * HTTP statuses as engineers write them in a sentence, which the log-field extractor does
 * not take: "404 errors in the IIS log", "the IIS log shows 404 0", "getting 403 forbidden",
 * "HTTP 500.19". Only used to name a symptom and to answer situations such as "the IIS log
 * shows 404 7"; signatures never see these, so a sentence cannot prove a cause.
 *
 * Both patterns are linear: one optional group of bounded length between fixed words.
 */
const STATUS_THEN_WORD = /(?<![\w.])([45]\d\d)(?:[. ](\d{1,3}))?(?: ?[-–—:] ?| )?(?:errors?|not found|forbidden|unauthori[sz]ed|access denied|internal server error|service unavailable|bad gateway|gateway time-?out|responses?|status(?:es)?|codes?)\b/gi;
const VERB_THEN_STATUS = /\b(?:shows?|showing|showed|returns?|returning|returned|logs?|logged|logging|gets?|getting|got|gives?|giving|throws?|throwing|with|http(?: error| status)?|error|status|codes? of|codes?) (?:an? |http |error |status )?([45]\d\d)(?:[. ](\d{1,3}))?(?![\w.]|\.\d)/gi;
const HAS_STATUS = /[45]\d\d/;

export function proseHttp(text: string): HttpFact[] {
  if (!HAS_STATUS.test(text)) return [];
  const out: HttpFact[] = [];
  const add = (status: string | undefined, sub: string | undefined): void => {
    if (status === undefined) return;
    const h: HttpFact = sub !== undefined ? { status: Number(status), substatus: Number(sub) } : { status: Number(status) };
    if (!out.some((x) => x.status === h.status && x.substatus === h.substatus)) out.push(h);
  };
  for (const re of [STATUS_THEN_WORD, VERB_THEN_STATUS]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) add(m[1], m[2]);
  }
  // "404" and "404 7" both found: the substatus says more.
  return out.filter((h) => h.substatus !== undefined || !out.some((x) => x.status === h.status && x.substatus !== undefined));
}
