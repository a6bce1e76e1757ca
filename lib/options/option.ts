/**
 * The one option type of every command (`puruto new|init|validate|workspace|upgrade|update|doctor`)
 * and of the yo generators. From one list of them derive the parser's input (parse.ts), the
 * `--help` Options block (help.ts), the "takes no value" / "needs a value" / value checks
 * (parse.ts) and the generators' `this.option(...)` declarations (yo.ts). Question tables stay
 * the generators' source of answers; `questionOption` maps a question to its option.
 */
import type { Question, Table } from '../questions/table.js';

/**
 * - `flag`: a switch that takes no value (`--json`; `--json=yes` is an argument error).
 * - `boolean`: a switch that also takes true/false in any case (`--yes`, `--no-db`,
 *   `--db false`, `--db=TRUE`).
 * - `value`: takes a value (`--workspace DIR`, `--workspace=DIR`).
 */
export type OptionKind = 'flag' | 'boolean' | 'value';

export interface Option {
  /** The flag without dashes (`--<name>`), kebab-case. */
  readonly name: string;
  readonly kind: OptionKind;
  /** One-letter short form (`-y`). */
  readonly alias?: string;
  /** Placeholder of a value option in --help (`--workspace <DIR>`). */
  readonly value?: string;
  /** The --help text; a `\n` continues it on the next line, aligned. */
  readonly description: string;
  /** `--no-<name>` is meaningful: --help shows it beside `--<name>`. */
  readonly negatable?: boolean;
  /**
   * An answer of a question table: the table validates its value (coerce/check), so yo
   * hands it over raw; on the command line a word after a boolean answer must be true/false.
   */
  readonly answer?: boolean;
  /** Check of a given value: what is wrong with it (after `--<name> `), or undefined. */
  readonly check?: (value: string) => string | undefined;
  /** Declared for yo but not shown in --help (internal options of composed generators). */
  readonly hidden?: boolean;
}

export type Options = readonly Option[];

export const HELP_OPTION: Option = { name: 'help', kind: 'flag', alias: 'h', description: 'show this help' };

/** The `(default: …)` / `(required)` mark --help adds to a question's description. */
function defaultMark(q: Question): string {
  if (q.default === undefined) return ' (required)';
  const d = q.default;
  const shown = Array.isArray(d) ? d.join(',') || 'none' : d === '' ? 'empty' : String(d);
  return ` (default: ${shown})`;
}

/** The option of one question: its flag, --help row and yo declaration. */
export function questionOption(q: Question): Option {
  const description = `${q.description}${defaultMark(q)}`;
  if (q.type === 'boolean') {
    return { name: q.name, kind: 'boolean', answer: true, negatable: q.negatable !== false, description };
  }
  const value = q.placeholder ?? (q.type === 'list' ? 'a,b' : 'text');
  return { name: q.name, kind: 'value', answer: true, value, description };
}

export function questionOptions(table: Table): Option[] {
  return table.map(questionOption);
}
