import type { DecodedCode } from '../matchers/types';

/**
 * How a decoded code is named in a reply: its symbolic name and message when a table has
 * them, otherwise what the decoder knows (the message says the facility and, for wrapped
 * Win32 or HTTP errors, their meaning). Never "unknown".
 */
export function codeLabel(c: DecodedCode): string {
  if (c.name !== null) return c.message ? `${c.name} – ${c.message}` : c.name;
  return c.message ?? `an error of facility ${c.facility}`;
}
