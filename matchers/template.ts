/**
 * Fills `{{name}}` and `{{name|fallback}}` in an entry's text with values extracted
 * from the paste. Values come from users' logs, so they are cleaned first: no backticks,
 * line breaks, control characters or braces, and at most 200 characters. Entries write
 * placeholders inside code spans, where nothing else can be interpreted.
 */
const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]{0,40})\s*(?:\|([^}]{0,200}))?\}\}/gi;

export function cleanValue(value: string): string {
  const cleaned = value.replace(/[`\u0000-\u001f\u007f{}]/g, '').trim();
  return cleaned.length > 200 ? cleaned.slice(0, 199) + '…' : cleaned;
}

/** A placeholder that is the whole of a code span: `` `{{file|the file}}` ``. */
const CODE_SPAN_PLACEHOLDER = /`\{\{\s*([a-z_][a-z0-9_]{0,40})\s*(?:\|([^}`]{0,200}))?\}\}`/gi;

export function fillTemplate(text: string, values: Readonly<Record<string, string>>): string {
  // Code font says "this is the value from your log"; a fallback is ordinary words, so when
  // nothing was extracted it is written as plain text ("remove the hidden segment").
  const plainFallbacks = text.replace(CODE_SPAN_PLACEHOLDER, (m, name: string, fallback: string | undefined) => {
    const v = values[name];
    if ((v !== undefined && v.length > 0) || fallback === undefined) return m;
    return fallback.trim();
  });
  return plainFallbacks.replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined) => {
    const v = values[name];
    if (v !== undefined && v.length > 0) return cleanValue(v);
    return fallback !== undefined ? fallback.trim() : `<${name}>`;
  });
}

/** Placeholder names used in a text, for the KB linter. */
export function placeholders(text: string): { name: string; hasFallback: boolean }[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1] as string, hasFallback: m[2] !== undefined }));
}
