/**
 * Pasted text arrives through Word, web pages and chat clients that turn quotes and
 * dashes typographic ("canceled job “CCMDTS Job”", "file.ldf – 80 –"). Matching works on
 * the plain ASCII forms so that KB authors write one spelling.
 */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u2033': '"',
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u2032': "'",
  '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u00A0': ' ', '\u2009': ' ', '\u202F': ' ', '\u200B': '',
  '\u0000': ' ',
};

const TYPOGRAPHIC = /[\u201C\u201D\u201E\u2033\u2018\u2019\u201A\u2032\u2013\u2014\u2212\u00A0\u2009\u202F\u200B\u0000]/g;

/** Same characters as TYPOGRAPHIC, for a test without the global flag's lastIndex state. */
const HAS_TYPOGRAPHIC = new RegExp(TYPOGRAPHIC.source);

export function normalizeLine(line: string): string {
  // Most log lines have none of these characters; testing first skips the replace call.
  return HAS_TYPOGRAPHIC.test(line) ? line.replace(TYPOGRAPHIC, (ch) => REPLACEMENTS[ch] ?? ch) : line;
}
