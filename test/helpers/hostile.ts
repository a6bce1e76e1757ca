/**
 * Free text that must reach an agent as data, byte for byte: a bare number, leading dashes,
 * `--help`, quotes, `$VARS`, backticks, `$(...)`, printf and placeholder braces, a tab, LF
 * and CRLF newlines, emoji and other non-ASCII letters, and a trailing backslash.
 */
export const HOSTILE =
  '-v --help 42 spent 50 euros on food today; "double" \'single\' $HOME ${PATH} `uname -a` $(id) %s %d {prompt}' +
  '\ttab\nsecond line \u{1F389} café 中文\r\n-- --version\n-x trailing backslash\\';

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
