/**
 * Free text that must reach an agent as data, byte for byte: a bare number, leading dashes,
 * `--help`, quotes, `$VARS`, backticks, `$(...)`, printf and placeholder braces, a tab, LF
 * and CRLF newlines, emoji and other non-ASCII letters, and a trailing backslash.
 */
export const HOSTILE =
  '-v --help 42 spent 50 euros on food today; "double" \'single\' $HOME ${PATH} `uname -a` $(id) %s %d {prompt}' +
  '\ttab\nsecond line \u{1F389} café 中文\r\n-- --version\n-x trailing backslash\\';

/** Free text that reads like an agent's own command when it comes first: Claude Code runs `/cost`
 * itself (no model request), Gemini CLI and Qwen Code have a built-in `/init`, Codex reads `$name`
 * as a skill. Sent as the `message` action, each must reach the model as text. */
export const COMMAND_LIKE = ['/cost the notes of today', '/init $status of the notes'];

/** The line the invoker puts before the user's text of a `message` from `caller` (skills.py,
 * agent_message): the text then never comes first, whatever it starts with. */
export const messageLead = (caller = 'puruto-a'): string =>
  `This request comes from the Puruto ${caller} through IPC. Its message, as written:`;

/** The whole message the target's agent is given for the `message` action with `prompt`, up to
 * the instructions that follow the user's text. */
export const freeTextMessage = (prompt: string, caller = 'puruto-a'): string =>
  `${messageLead(caller)}\n\n${prompt}\n\nFollow the rules of this repository (AGENTS.md)`;

/** A prompt of about `bytes` UTF-8 bytes (over 128 KiB: more than one argv string can hold on
 * Linux), hostile at both ends, its lines numbered so a cut or a reordering shows. */
export function bigPrompt(bytes = 160 * 1024): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i += 1) {
    const line = `line ${String(i).padStart(6, '0')}: -x --help $HOME \u{1F389}\n`;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return `${HOSTILE}\n${lines.join('')}${HOSTILE}`;
}
