/**
 * Finding codes. `std` codes and levels are the standard's contract (SPEC §4) and
 * never change; `ours` codes are this project's extra checks: warnings by default,
 * errors under --strict.
 */
export type Level = 'error' | 'warning';

export interface Finding {
  level: Level;
  code: string;
  /** Relative (posix) path inside the repo, or "." for the repo itself. */
  path: string;
  message: string;
}

export const STD_CODES = {
  'missing-agent-rules': 'error',
  'missing-required': 'error',
  'missing-core-skill': 'error',
  'invalid-ipc-config': 'error',
  'missing-ipc-skill': 'error',
  'missing-ipc-runtime': 'error',
  'ipc-config-invalid-type': 'error',
  'missing-data-file': 'error',
  'missing-telegram-file': 'error',
  'missing-cron-file': 'error',
  'missing-gateway-file': 'error',
  'missing-recommended-file': 'warning',
  'empty-standard-version': 'warning',
  'unsupported-standard-version': 'warning',
  'missing-standard-version': 'warning',
  'ipc-config-missing-key': 'warning',
  'missing-ipc-config': 'warning',
  'missing-gitignore': 'warning',
} as const satisfies Record<string, Level>;

/** Our extra checks, each with what it means (used by docs and --help). */
export const OURS_CODES = {
  'invalid-skill-frontmatter': 'SKILL.md frontmatter missing, unparsable, or not per the Agent Skills spec / Puruto fields',
  'skill-name-mismatch': 'SKILL.md `name` differs from its folder name',
  'unresolved-placeholder': 'a template placeholder like __NAME__ is left in a file',
  'invalid-json': 'a Puruto JSON file (.jobs.json, .channels.json, registry.json) cannot be parsed',
  'schema-violation': 'a Puruto JSON file does not match its JSON Schema',
  'invalid-cron-expression': 'a job in .jobs.json has a schedule that is not valid cron',
  'env-not-ignored': '.gitignore does not ignore .env',
  'secret-in-env-example': '.env.example holds a value that looks like a real secret',
  'gateway-default-key': 'the gateway API key in .env is still the placeholder `changeme`',
  'skills-mirror-drift': '.agents/skills is not a link to .claude/skills and differs from it',
  'unreadable-path': 'a file or folder cannot be read (permissions, symlink loop, wrong type)',
  'reserved-skill-name': 'a skill is named `message`, the IPC action reserved for free text (always an error)',
} as const;

export type StdCode = keyof typeof STD_CODES;
export type OursCode = keyof typeof OURS_CODES;
export type Code = StdCode | OursCode;

export function std(code: StdCode, path: string, message: string): Finding {
  return { level: STD_CODES[code], code, path, message };
}

/** Our checks whose finding is an error even without --strict: the runtime breaks on them. */
export const ALWAYS_ERRORS: ReadonlySet<OursCode> = new Set<OursCode>(['reserved-skill-name']);

export function ours(code: OursCode, path: string, message: string, strict: boolean): Finding {
  if (ALWAYS_ERRORS.has(code)) return { level: 'error', code, path, message };
  return { level: strict ? 'error' : 'warning', code, path, message };
}
