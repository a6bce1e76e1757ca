/**
 * Wiring an ecosystem repo to its siblings through its `.env.example`. The kinds'
 * templates document PURUTO_DATA_PATH / PURUTO_TELEGRAM_PATH as commented lines
 * (`# PURUTO_DATA_PATH=../puruto-data`) because the runtimes default to those sibling
 * paths anyway. In an ecosystem built by `puruto init` the siblings are known to exist,
 * so the line is made effective: /init copies it into `.env`, the /status scripts and
 * the gateway read it, and a user sees where each link points. Only that one line of
 * the file changes. Pure text in, text out.
 */

export interface Wired {
  text: string;
  /** set = a commented line became `KEY=value`; present = already set, left alone; missing = no such line. */
  outcome: 'set' | 'present' | 'missing';
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Turns the commented `# KEY=...` line into `KEY=value`, unless KEY is already set. */
export function setEnvLine(text: string, key: string, value: string): Wired {
  const lines = text.split('\n');
  const active = new RegExp(`^\\s*(?:export\\s+)?${escape(key)}\\s*=`);
  if (lines.some((l) => active.test(l))) return { text, outcome: 'present' };
  const commented = new RegExp(`^\\s*#\\s*(?:export\\s+)?${escape(key)}\\s*=`);
  const i = lines.findIndex((l) => commented.test(l));
  if (i === -1) return { text, outcome: 'missing' };
  lines[i] = `${key}=${value}${lines[i]!.endsWith('\r') ? '\r' : ''}`; // keep a CRLF file CRLF
  return { text: lines.join('\n'), outcome: 'set' };
}
