/**
 * The four typed commands. A message is a command only when it is one short line that
 * starts with the command word, so a pasted log line never reads as one.
 */
export type Command =
  | { kind: 'help' }
  | { kind: 'code'; arg: string }
  | { kind: 'search'; arg: string }
  | { kind: 'kb'; arg: string };

const MAX_COMMAND_CHARS = 300;

export function parseCommand(message: string): Command | undefined {
  const t = message.trim();
  if (t.length === 0 || t.length > MAX_COMMAND_CHARS || /[\r\n]/.test(t)) return undefined;
  if (/^[/]?(help|\?|hi|hello)$/i.test(t)) return { kind: 'help' };
  const m = /^[/]?(code|search|kb)(?:\s+(.*))?$/i.exec(t);
  if (!m) return undefined;
  const kind = (m[1] as string).toLowerCase() as 'code' | 'search' | 'kb';
  const arg = (m[2] ?? '').trim();
  if (arg.length === 0) return { kind: 'help' };
  return { kind, arg };
}
