import { KINDS, type KindName } from './standard/kinds.js';

export const NAME_MAX = 64;
const NAME_RE = /^[a-z0-9][a-z0-9-]*$/;

export interface NameCheck {
  ok: boolean;
  /** Why the name is refused, with how to fix it. */
  error?: string;
  /** One-line recommendation for an accepted name. */
  note?: string;
  /** Ecosystem kind the name selects, when it is one of the four special names. */
  ecosystemKind?: Exclude<KindName, 'standard'>;
}

/** Checks a Puruto repo name (SPEC §2–3). Pure. */
export function checkName(raw: unknown): NameCheck {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { ok: false, error: 'the name is empty: give a repo name such as puruto-notes' };
  }
  const name = raw;
  if (/\s/.test(name)) return { ok: false, error: `"${name}" contains spaces: use hyphens, e.g. ${suggest(name)}` };
  if (name.includes('/') || name.includes('\\')) {
    return {
      ok: false,
      error:
        `"${name}" contains a path separator: give a plain folder name (use --destination to choose where it ` +
        `goes)`,
    };
  }
  if (name.includes('..')) return { ok: false, error: `"${name}" contains "..": give a plain folder name` };
  if (name.startsWith('.'))
    return { ok: false, error: `"${name}" starts with a dot: hidden folders cannot be Purutos` };
  if (name.startsWith('-')) return { ok: false, error: `"${name}" starts with a hyphen: start with a letter or digit` };
  if (name.length > NAME_MAX)
    return { ok: false, error: `"${name}" is ${name.length} characters long: the limit is ${NAME_MAX}` };
  if (!NAME_RE.test(name)) {
    return {
      ok: false,
      error: `"${name}" may only contain lowercase letters, digits and hyphens, e.g. ${suggest(name)}`,
    };
  }
  if (name.endsWith('-')) return { ok: false, error: `"${name}" ends with a hyphen: end with a letter or digit` };
  if (name.includes('--')) return { ok: false, error: `"${name}" has consecutive hyphens: use single hyphens` };
  const kind = Object.values(KINDS).find((k) => k.kind === name && k.kind !== 'standard');
  if (kind) return { ok: true, ecosystemKind: kind.kind as Exclude<KindName, 'standard'> };
  if (!/^puruto-[a-z0-9]/.test(name)) {
    return {
      ok: true,
      note:
        `tip: "${name}" is accepted, but without the puruto- prefix puruto-data will not register it, ` +
        `so the gateway, ` +
        `/call, cron jobs and Telegram channels will not find it; name it puruto-${name} to be part of the ecosystem`,
    };
  }
  return { ok: true };
}

function suggest(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, NAME_MAX);
  return s === '' ? 'puruto-notes' : s.startsWith('puruto-') ? s : `puruto-${s}`;
}

/**
 * The four ecosystem names belong to their own generators: a run of another kind that
 * is given one of them is pointed there (an error message), else undefined.
 */
export function nameOwnedElsewhere(name: unknown, kind: KindName): string | undefined {
  if (typeof name !== 'string') return undefined;
  const eco = checkName(name).ecosystemKind;
  if (!eco || eco === kind) return undefined;
  const gen = KINDS[eco].generator;
  return (
    `"${name}" is ${KINDS[eco].summary}, which has its own generator: ` +
    `run \`yo puruto:${gen}\` (or \`puruto new ${gen}\`).`
  );
}
