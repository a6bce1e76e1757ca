import path from 'node:path';
import { HELP_OPTION, type Option } from '../../lib/options/option.js';
import { renderHelp } from '../../lib/options/help.js';
import { parseOptions, targetErrors } from '../../lib/options/parse.js';
import { doctor } from '../../lib/doctor/index.js';
import { formatDoctor } from '../../lib/doctor/format.js';
import { adapterFacts } from '../../generators/ipc/adapters.js';
import { EXIT, type Io } from '../io.js';

/** The one option list of `puruto doctor` (its flags and --help). */
export const DOCTOR_OPTIONS: readonly Option[] = [
  {
    name: 'json',
    kind: 'flag',
    description:
      'print the report as JSON: {path, ok, errors, warnings, checks: [{section, repo, level, id, message, fix}]}',
  },
  {
    name: 'workspace',
    kind: 'value',
    value: 'DIR',
    description: 'check every Puruto directly under DIR (e.g. ~/purutos) and their wiring',
  },
  {
    name: 'online',
    kind: 'flag',
    description:
      "also make one real minimal call (/status) through each repo's invoker.py and report its result and time",
  },
  HELP_OPTION,
];

export const doctorHelp = renderHelp({
  head: [
    'Usage: puruto doctor [path] [--json] [--online]',
    '       puruto doctor --workspace DIR [--json] [--online]',
    '',
    'Check the local runtime of a Puruto (default: the current folder), or of every Puruto of',
    'an ecosystem folder: Python (3.10+, the interpreter each repo runs with, its requirements),',
    '.env (present, required values, placeholders, malformed tokens, user ids, ports), agents',
    "(the CLIs of invoker.py's adapter table on PATH with versions; the selected one's credentials,",
    'checked locally), wiring (PURUTO_DATA_PATH, registry ↔ folders, Telegram channels, cron job',
    "targets and their skills) and services (the gateway's /health, the cron loop and bot heartbeats).",
    'Each line is ✓ / ⚠ / ✗ with the command that fixes it.',
  ],
  options: DOCTOR_OPTIONS,
  tail: ['Exit codes: 0 nothing is ✗ (warnings allowed); 1 at least one ✗, or no Puruto there; 2 argument error.'],
});

export async function doctorCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseOptions(argv, DOCTOR_OPTIONS);
  const errors = [...args.errors, ...targetErrors(args, true)];
  const workspace = args.values['workspace'];
  if (args.values['help'] === true && errors.length === 0) {
    io.out(doctorHelp);
    return EXIT.ok;
  }
  if (errors.length) {
    io.err(`puruto doctor: ${errors.join('; ')}\nRun \`puruto doctor --help\` for the options.`);
    return EXIT.usage;
  }
  const outcome = await doctor({
    path: path.resolve(io.cwd, typeof workspace === 'string' ? workspace : (args.positionals[0] ?? '.')),
    workspace: typeof workspace === 'string',
    online: args.values['online'] === true,
    adapters: adapterFacts(),
    cwd: io.cwd,
  });
  if (!outcome.ok) {
    io.err(`puruto doctor: ${outcome.message}`);
    return EXIT.failed;
  }
  io.out(args.values['json'] === true ? JSON.stringify(outcome.report, null, 2) : formatDoctor(outcome.report));
  return outcome.report.ok ? EXIT.ok : EXIT.failed;
}
