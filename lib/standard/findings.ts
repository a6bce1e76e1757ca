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
  'invalid-skill-frontmatter':
    'SKILL.md frontmatter missing, unparsable, or not per the Agent Skills spec / Puruto fields',
  'skill-name-mismatch': 'SKILL.md `name` differs from its folder name',
  'unresolved-placeholder': 'a template placeholder like __NAME__ is left in a file',
  'invalid-json': 'a Puruto JSON file (.jobs.json, .channels.json, registry.json) cannot be parsed',
  'schema-violation': 'a Puruto JSON file does not match its JSON Schema',
  'invalid-cron-expression': 'a job in .jobs.json has a schedule that is not valid cron',
  'env-not-ignored': '.gitignore does not ignore .env',
  'invalid-gitignore-pattern': 'a .gitignore line is not a valid pattern (git matches nothing with it)',
  'secret-in-env-example': '.env.example holds a value that looks like a real secret',
  'gateway-default-key': 'the gateway API key in .env is still the placeholder `changeme`',
  'skills-mirror-drift': '.agents/skills is not a link to .claude/skills and differs from it',
  'unreadable-path': 'a file or folder cannot be read (permissions, symlink loop, wrong type)',
  'link-outside-repo': 'a symbolic link leads outside the repo (not followed)',
  'broken-import': 'CLAUDE.md imports (`@file`) a file that is missing: always an error, the agent loses those rules',
  'reserved-skill-name': 'a skill is named `message`, the IPC action reserved for free text: always an error',
} as const;

/** Ours codes that are errors even without --strict: the agent itself is broken by them. */
export const OURS_ALWAYS_ERRORS: ReadonlySet<string> = new Set(['broken-import', 'reserved-skill-name']);

export type StdCode = keyof typeof STD_CODES;
export type OursCode = keyof typeof OURS_CODES;
export type Code = StdCode | OursCode;

export function std(code: StdCode, path: string, message: string): Finding {
  return { level: STD_CODES[code], code, path, message };
}

export function ours(code: OursCode, path: string, message: string, strict: boolean): Finding {
  return { level: strict || OURS_ALWAYS_ERRORS.has(code) ? 'error' : 'warning', code, path, message };
}
