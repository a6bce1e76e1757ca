import { collect, commandLine, withDefaults } from './resolve.js';
import type { Answers, Question, Table } from './table.js';

export interface GatherInput {
  table: Table;
  /** Values from flags; undefined = not given. */
  flags: Record<string, unknown>;
  /** Values from an --answers file. */
  file?: Record<string, unknown> | undefined;
  /** Whether missing answers can be asked for. */
  interactive: boolean;
  /** Command shown in the hint for a non-interactive run, e.g. "puruto new". */
  commands: readonly string[];
  /** Extra semantic check of the collected answers (e.g. a name owned by another kind). */
  refine?: (answers: Answers) => string | undefined;
}

export type Gathered =
  { ok: true; answers: Answers; pending: Question[] } | { ok: false; code: 1 | 2; message: string };

/**
 * Answers from flags > answers file > defaults, validated the same way a typed answer
 * is. Shared by the generators and by `puruto new` (which checks before loading Yeoman).
 * Exit codes: 2 for a value of the wrong type or an unknown answer, 1 for a value that
 * fails validation or a required answer missing where nobody can be asked.
 */
export function gather(input: GatherInput): Gathered {
  const got = collect(input.table, { flags: input.flags, file: input.file, useDefaults: !input.interactive });
  if (got.argErrors.length) return { ok: false, code: 2, message: got.argErrors.join('\n') };
  if (got.invalid.length) return { ok: false, code: 1, message: got.invalid.join('\n') };
  const refused = input.refine?.(got.answers);
  if (refused) return { ok: false, code: 1, message: refused };
  if (got.missing.length && !input.interactive) {
    const names = got.missing.map((q) => q.name);
    const example = withDefaults(input.table, got.answers);
    return {
      ok: false,
      code: 1,
      message: [
        `missing required answer${names.length > 1 ? 's' : ''}: ${names.join(', ')} (no terminal to ask in).`,
        'Give them as flags or in --answers FILE, e.g.:',
        ...input.commands.map((c) => `  ${commandLine(c, input.table, example)}`),
      ].join('\n'),
    };
  }
  return { ok: true, answers: got.answers, pending: got.missing };
}

/** Prompting happens only with a terminal on both ends, unless forced either way; never with --yes. */
export function isInteractive(opts: { yes?: unknown; interactive?: unknown }, tty: boolean): boolean {
  if (opts.yes === true) return false;
  if (typeof opts.interactive === 'boolean') return opts.interactive;
  return tty;
}
