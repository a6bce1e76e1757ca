import { KINDS, type KindName } from './standard/kinds.js';
import { NAME_MAX, nameSyntaxError } from './name-rules.js';

export { NAME_MAX };

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
  const error = nameSyntaxError(raw);
  if (error !== undefined) return { ok: false, error };
  const name = raw as string;
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
