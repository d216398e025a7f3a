/** A line that reads as a sentence: mostly words, at least three of them. */
export function isProse(text: string): boolean {
  const tokens = text.split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length < 3) return false;
  const words = tokens.filter((t) => /^[a-z][a-z'’-]*[a-z][.,;:!?]?$/i.test(t)).length;
  return words / tokens.length >= 0.6;
}

