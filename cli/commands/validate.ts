import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgv } from '../../lib/argv.js';
import { isEcosystemRoot, validateRepo, validateWorkspace } from '../../lib/validate/index.js';
import { formatReport, formatWorkspaceReport } from '../../lib/validate/format.js';
import { EXIT, type Io } from '../io.js';

export const validateHelp = [
  'Usage: puruto validate [path] [--json] [--strict]',
  '       puruto validate --workspace DIR [--json] [--strict]',
  '',
  'Check a Puruto (default: the current folder) against the standard. Given an ecosystem',
  'folder (e.g. ~/purutos after `puruto init`), it validates every Puruto in it, as --workspace.',
  '',
  'Options:',
  '  --json            print the report as JSON (SPEC §4 shape)',
  '  --strict          our extra checks become errors instead of warnings',
  '  --workspace DIR   validate every Puruto directly under DIR (e.g. ~/purutos), one report',
  '  -h, --help        show this help',
  '',
  'Exit codes: 0 no errors (warnings allowed); 1 at least one error; 2 argument error (no JSON).',
].join('\n');

export async function validateCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgv(argv, [
    { name: 'json', boolean: true },
    { name: 'strict', boolean: true },
    { name: 'workspace', boolean: false },
    { name: 'help', boolean: true, alias: 'h' },
  ]);
  const errors = [...args.errors];
  for (const k of ['json', 'strict', 'help'] as const) {
    if (typeof args.flags[k] === 'string') errors.push(`--${k} takes no value`);
  }
  if (args.positionals.length > 1) errors.push(`expected at most one path, got ${args.positionals.length}`);
  if (args.flags['workspace'] !== undefined && args.positionals.length > 0)
    errors.push('give either a path or --workspace DIR, not both');
  if (errors.length) {
    io.err(`puruto validate: ${errors.join('; ')}\n\n${validateHelp}`);
    return EXIT.usage;
  }
  if (args.flags['help']) {
    io.out(validateHelp);
    return EXIT.ok;
  }
  const options = { strict: args.flags['strict'] === true };
  const json = args.flags['json'] === true;
  let workspace = args.flags['workspace'];
  const target = path.resolve(io.cwd, args.positionals[0] ?? '.');
  if (workspace === undefined && isEcosystemRoot(target)) {
    // ~/purutos has rules and skills of its own (agent mode) but is not a Puruto.
    io.err(
      `${target} is an ecosystem folder (it holds Purutos, it is not one): validating each of them, as --workspace ${target}`,
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
