/**
 * Cron expressions of puruto-cron jobs: standard 5-field syntax (minute hour
 * day-of-month month day-of-week: lists, ranges, steps, names) or an @-alias.
 * The parser library is imported only when a `.jobs.json` is checked.
 */
export const CRON_ALIASES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

type Parse = (expression: string) => { next(): unknown };
let parser: Promise<Parse> | undefined;

function loadParser(): Promise<Parse> {
  parser ??= import('cron-parser').then((mod) => {
    const P = mod.CronExpressionParser;
    return (expression: string) => P.parse(expression);
  });
  return parser;
}

/** Why `expression` is not a valid schedule, or undefined when it is valid. */
export async function cronProblem(expression: string): Promise<string | undefined> {
  const expr = expression.trim();
  if (expr.startsWith('@')) {
    return (CRON_ALIASES as readonly string[]).includes(expr)
      ? undefined
      : `unknown alias "${expr}" (use one of ${CRON_ALIASES.join(' ')})`;
  }
  const fields = expr === '' ? [] : expr.split(/\s+/);
  if (fields.length !== 5) {
    const extra = fields.length === 6 ? ' (a seconds field is not supported)' : '';
    return `"${expr}" has ${fields.length} fields, expected 5: minute hour day-of-month month day-of-week${extra}`;
  }
  // Jenkins-style hashed values are a cron-parser extension other cron libraries reject.
  if (fields.some((f) => /H/.test(f.replace(/\b[A-Za-z]{3}\b/g, ''))))
    return `"${expr}" uses the non-standard "H" (hash) syntax`;
  try {
    (await loadParser())(expr).next();
    return undefined;
  } catch (error) {
    return `"${expr}" is not valid cron (${(error as Error).message})`;
  }
}

/**
 * Why `name` is not a time zone puruto-cron can use, or undefined. The schema checks the
 * shape; this asks the Intl time zone database. zoneinfo (the runtime's) is case-sensitive,
 * so a name Intl only knows in another case is refused too.
 */
export function timezoneProblem(name: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return `"${name}" is not a known IANA time zone (e.g. "Europe/Madrid", "America/New_York", "UTC")`;
  }
  if (resolved !== name && resolved.toLowerCase() === name.toLowerCase())
    return `"${name}" is spelled "${resolved}" (zone names are case-sensitive)`;
  return undefined;
}
