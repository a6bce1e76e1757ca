import { existsSync } from 'node:fs';
import path from 'node:path';
import { HELP_OPTION, type Option } from '../../lib/options/option.js';
import { renderHelp } from '../../lib/options/help.js';
import { parseOptions, targetErrors } from '../../lib/options/parse.js';
import { isEcosystemRoot, validateRepo, validateWorkspace } from '../../lib/validate/index.js';
import { formatReport, formatWorkspaceReport } from '../../lib/validate/format.js';
import { EXIT, type Io } from '../io.js';

/** The one option list of `puruto validate` (its flags and --help). */
export const VALIDATE_OPTIONS: readonly Option[] = [
  { name: 'json', kind: 'flag', description: 'print the report as JSON (SPEC §4 shape)' },
  { name: 'strict', kind: 'flag', description: 'our extra checks become errors instead of warnings' },
  {
    name: 'workspace',
    kind: 'value',
    value: 'DIR',
    description: 'validate every Puruto directly under DIR (e.g. ~/purutos), one report',
  },
  HELP_OPTION,
];

export const validateHelp = renderHelp({
  head: [
    'Usage: puruto validate [path] [--json] [--strict]',
    '       puruto validate --workspace DIR [--json] [--strict]',
    '',
    'Check a Puruto (default: the current folder) against the standard. Given an ecosystem',
    'folder (e.g. ~/purutos after `puruto init`), it validates every Puruto in it, as --workspace.',
  ],
  options: VALIDATE_OPTIONS,
  tail: ['Exit codes: 0 no errors (warnings allowed); 1 at least one error; 2 argument error (no JSON).'],
});

export async function validateCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseOptions(argv, VALIDATE_OPTIONS);
  const errors = [...args.errors, ...targetErrors(args, true)];
  if (errors.length) {
    io.err(`puruto validate: ${errors.join('; ')}\n\n${validateHelp}`);
    return EXIT.usage;
  }
  if (args.values['help']) {
    io.out(validateHelp);
    return EXIT.ok;
  }
  const options = { strict: args.values['strict'] === true };
  const json = args.values['json'] === true;
  let workspace = args.values['workspace'];
  const target = path.resolve(io.cwd, args.positionals[0] ?? '.');
  if (workspace === undefined && isEcosystemRoot(target)) {
    // ~/purutos has rules and skills of its own (agent mode) but is not a Puruto.
    io.err(
      `${target} is an ecosystem folder (it holds Purutos, it is not one): validating each of them, as --workspace ` +
        `${target}`,
    );
    workspace = target;
  }
  if (typeof workspace === 'string') {
    const report = await validateWorkspace(path.resolve(io.cwd, workspace), options);
    io.out(json ? JSON.stringify(report, null, 2) : formatWorkspaceReport(report));
    return report.ok ? EXIT.ok : EXIT.failed;
  }
  const report = await validateRepo(target, options);
  if (!json && !existsSync(target)) {
    // Nothing to detect a kind of: only the fact, on stderr (the JSON keeps its SPEC shape).
    io.err(`puruto validate: ${report.findings[0]?.message ?? `${target} does not exist`}`);
    return EXIT.failed;
  }
  io.out(json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? EXIT.ok : EXIT.failed;
}
