/**
 * Our own tokenizer for full-text search, used for both entries and questions.
 * lunr's default splits only on spaces and hyphens and indexes `0x80190194` whole, so
 * `80190194` would find nothing; it also cannot take a Windows path. Here every token is
 * also split into its parts (`OSDResults.exe.config` → `osdresults`, `exe`, `config`) and
 * error codes are indexed in each spelling engineers type.
 */
const SPLIT = /[\s"'`()[\]{}<>,;|=!?*&^~@]+/;
const PARTS = /[./\\_:$+#%-]+/;
const EDGE = /^[^a-z0-9]+|[^a-z0-9]+$/g;
const MAX_TOKEN = 64;

export function searchTokens(text: string, limit = 5000): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (t: string): void => {
    if (t.length === 0 || t.length > MAX_TOKEN || seen.has(t)) return;
    seen.add(t);
    out.push(t);
  };
  for (const raw of text.toLowerCase().split(SPLIT)) {
    if (out.length >= limit) break;
    const token = raw.replace(EDGE, '');
    if (token.length === 0) continue;
    add(token);
    // A signed decimal HRESULT keeps its minus sign for decoding, though the token drops it.
    const signed = /^-\d{10}$/.test(raw.replace(/[.,:;]+$/, '')) ? raw.replace(/[.,:;]+$/, '') : token;
    for (const spelling of codeSpellings(signed)) add(spelling);
    if (PARTS.test(token)) {
      for (const part of token.split(PARTS)) {
        const p = part.replace(EDGE, '');
        if (p.length >= 2) add(p);
      }
    }
  }
  return out;
}

/** `0x80190194` ↔ `80190194`; a signed or unsigned decimal HRESULT → its hex forms; `404.7` → `404`. */
function codeSpellings(token: string): string[] {
  let m = /^0x([0-9a-f]{8})l?$/.exec(token);
  if (m?.[1]) return [m[1], `0x${m[1]}`];
  m = /^([89a-f][0-9a-f]{7})$/.exec(token);
  if (m?.[1]) return [`0x${m[1]}`];
  m = /^(-?\d{10})$/.exec(token);
  if (m?.[1]) {
    const n = Number(m[1]);
    if (n >= -2147483648 && n <= 0xffffffff && (n < 0 || n >= 0x80000000)) {
      const hex = (n >>> 0).toString(16).padStart(8, '0');
      return [hex, `0x${hex}`];
    }
  }
  m = /^([1-5]\d\d)\.(\d{1,3})$/.exec(token);
  if (m?.[1]) return [m[1]];
  return [];
}
