import { EXIT, type Io } from './io.js';
import { packageInfo } from './package-info.js';
import { renderHelp } from '../lib/options/help.js';
import type { Option } from '../lib/options/option.js';

export const COMMANDS = {
  new: 'create a Puruto (same generators as `yo puruto`), or add ipc / agent-tests to one',
  validate: 'check a Puruto, or every Puruto of a workspace, against the standard',
  upgrade: 'migrate a Puruto to a newer standard version (plan, dry run, apply)',
  init: 'bootstrap an ecosystem folder (~/purutos): puruto-data and the other kinds, wired',
  workspace: 'list the Purutos of an ecosystem folder with kind, version and validation status',
  update: "bring a Puruto's generated files to this generator version, merging with your edits",
  doctor: 'check the local runtime of a Puruto or an ecosystem: Python, .env, agents, wiring, services',
} as const;

/** The options of `puruto` itself (each command has its own list). */
export const MAIN_OPTIONS: readonly Option[] = [
  { name: 'help', kind: 'flag', alias: 'h', description: 'show help (also: puruto <command> --help)' },
  { name: 'version', kind: 'flag', alias: 'v', description: 'print the version' },
];

export function mainHelp(): string {
  const rows = Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(11)}${d}`);
  return renderHelp({
    head: [
      'Usage: puruto <command> [options]',
      '',
      'The Puruto standard from the command line: create, validate, upgrade and gather agentic repositories.',
      '',
      'Commands:',
      ...rows,
    ],
    options: MAIN_OPTIONS,
    tail: [
      'Exit codes: 0 ok; 1 failed (errors found, business error); 2 argument error; update: 3 your merge is needed.',
    ],
  });
}

/** Runs one `puruto` invocation and returns its exit code. Commands load lazily. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(mainHelp());
    return EXIT.usage;
  }
  if (first === '-h' || first === '--help' || first === 'help') {
    io.out(mainHelp());
    return EXIT.ok;
  }
  if (first === '-v' || first === '--version') {
    io.out(packageInfo().version);
    return EXIT.ok;
  }
  switch (first) {
    case 'validate':
      return (await import('./commands/validate.js')).validateCommand(rest, io);
    case 'new':
      return (await import('./commands/new.js')).newCommand(rest, io);
    case 'init':
      return (await import('./commands/init.js')).initCommand(rest, io);
    case 'upgrade':
      return (await import('./commands/upgrade.js')).upgradeCommand(rest, io);
    case 'update':
      return (await import('./commands/update.js')).updateCommand(rest, io);
    case 'doctor':
      return (await import('./commands/doctor.js')).doctorCommand(rest, io);
    case 'workspace':
      return (await import('./commands/workspace.js')).workspaceCommand(rest, io);
    default:
      io.err(`puruto: unknown command "${first}"\n\n${mainHelp()}`);
      return EXIT.usage;
  }
}
