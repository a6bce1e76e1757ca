/**
 * The tokenizer under lib/options/parse.ts: command-line flags against FlagSpecs, the
 * parser's view of an Option list (flagSpecs derives them; commands never write them by
 * hand). Handles the original CLI's boolean forms: `--db`, `--no-db`, `--db false`,
 * `--db=FALSE`. Pure: returns errors instead of throwing or printing.
 */
export interface FlagSpec {
  name: string;
  boolean: boolean;
  alias?: string;
  /**
   * A boolean answer (`--db`, `--ipc`): the word after it, when it is not a flag, must be
   * true/false. `--db maybe` is an argument error rather than `--db` + a positional "maybe".
   */
  answer?: boolean;
}

export interface ParsedArgv {
  flags: Record<string, string | boolean>;
  positionals: string[];
  errors: string[];
}

const BOOL_WORD = /^(true|false)$/i;

export function parseArgv(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgv {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byAlias = new Map(specs.filter((s) => s.alias).map((s) => [s.alias as string, s]));
  const out: ParsedArgv = { flags: {}, positionals: [], errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (/^-[A-Za-z]$/.test(arg)) {
      const spec = byAlias.get(arg.slice(1));
      if (!spec) out.errors.push(`unknown option ${arg}`);
      else if (spec.boolean) out.flags[spec.name] = true;
      else out.errors.push(`${arg} needs a value`);
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const negated = key.startsWith('no-') ? byName.get(key.slice(3)) : undefined;
    if (negated?.boolean && !byName.has(key)) {
      if (inline !== undefined) out.errors.push(`--${key} takes no value`);
      else out.flags[negated.name] = false;
      continue;
    }
    const spec = byName.get(key);
    if (!spec) {
      out.errors.push(`unknown option --${key}`);
      continue;
    }
    if (inline !== undefined) {
      out.flags[spec.name] = inline;
    } else if (spec.boolean) {
      const next = argv[i + 1];
      if (next !== undefined && BOOL_WORD.test(next)) {
        out.flags[spec.name] = next;
        i++;
      } else if (spec.answer && next !== undefined && !next.startsWith('-')) {
        out.errors.push(
          `--${key} expects true or false, got ${JSON.stringify(next)} (write --${key} true, --${key} false or ` +
            `--no-${key}; put the name first or give it with --name)`,
        );
        i++;
      } else {
        out.flags[spec.name] = true;
      }
    } else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) out.errors.push(`--${key} needs a value`);
      else {
        out.flags[spec.name] = next;
        i++;
      }
    }
  }
  return out;
}
