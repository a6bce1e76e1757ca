import { parseArgv, type FlagSpec } from '../argv.js';
import { notBoolean, parseBoolean } from '../booleans.js';
import type { Option, Options } from './option.js';

/** The parser's view of an option list (lib/argv.ts reads only this). */
export function flagSpecs(options: Options): FlagSpec[] {
  return options.map((o) => ({
    name: o.name,
    boolean: o.kind !== 'value',
    ...(o.alias ? { alias: o.alias } : {}),
    ...(o.answer && o.kind === 'boolean' ? { answer: true } : {}),
  }));
}

export interface ParsedOptions {
  /** Given options only: booleans as booleans, values as strings. */
  values: Record<string, string | boolean>;
  positionals: string[];
  /** Argument errors (exit 2), one line each. */
  errors: string[];
}

/**
 * The target of a command that takes one repo path, or (when it has the option) a
 * `--workspace DIR` instead: the argument errors of its positionals.
 */
export function targetErrors(args: ParsedOptions, workspace: boolean): string[] {
  const errors: string[] = [];
  if (args.positionals.length > 1) errors.push(`expected at most one path, got ${args.positionals.length}`);
  if (workspace && args.values['workspace'] !== undefined && args.positionals.length > 0)
    errors.push('give either a path or --workspace DIR, not both');
  return errors;
}

/** What is wrong with a raw value of an option (from argv or from yo), or undefined. */
export function optionProblem(o: Option, raw: unknown): string | undefined {
  if (o.kind === 'flag') return typeof raw === 'boolean' ? undefined : `--${o.name} takes no value`;
  if (o.kind === 'boolean') return parseBoolean(raw) === undefined ? notBoolean(o.name, raw) : undefined;
  if (typeof raw !== 'string') return `--${o.name} needs a value`;
  const problem = o.check?.(raw);
  return problem === undefined ? undefined : `--${o.name} ${problem}`;
}

/**
 * argv against an option list: unknown options, a value given to a flag, a missing value,
 * a boolean that is not true/false and a failed value check are argument errors. Hidden
 * options (set by a composing generator) are not options of the command line.
 */
export function parseOptions(argv: readonly string[], all: Options): ParsedOptions {
  const options = all.filter((o) => !o.hidden);
  const parsed = parseArgv(argv, flagSpecs(options));
  const out: ParsedOptions = { values: {}, positionals: parsed.positionals, errors: [...parsed.errors] };
  for (const [name, raw] of Object.entries(parsed.flags)) {
    const o = options.find((x) => x.name === name)!;
    const problem = optionProblem(o, raw);
    if (problem) out.errors.push(problem);
    else out.values[name] = o.kind === 'value' ? raw : (parseBoolean(raw) as boolean);
  }
  return out;
}
