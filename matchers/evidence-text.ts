/** Evidence lines are shown to people, not re-matched: a long record is cut, with an ellipsis, so replies stay small. */
export const MAX_EVIDENCE_TEXT = 400;

export function clipEvidenceText(text: string): string {
  return text.length > MAX_EVIDENCE_TEXT ? text.slice(0, MAX_EVIDENCE_TEXT) + '…' : text;
}
