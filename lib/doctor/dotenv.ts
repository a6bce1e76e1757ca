/** A `.env` read the way python-dotenv reads the simple lines generated repos use. */
import { readTextFile } from '../safe-read.js';

export function parseEnv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) continue;
    let value = m[2]!.trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    out.set(m[1]!, value);
  }
  return out;
}

/** The repo's .env, or undefined when there is none (or it is not a readable file). */
export function readEnv(file: string): Map<string, string> | undefined {
  const r = readTextFile(file);
  return r.ok ? parseEnv(r.text) : undefined;
}
