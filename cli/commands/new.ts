import os from 'node:os';
import { readAnswersFile } from '../../lib/answers-file.js';
import { checkNewRepo } from '../../lib/new-repo.js';
import { isInteractive } from '../../lib/questions/gather.js';
import type { NewRepoSpec } from '../../generators/shared/help.js';
import { generatorEntry } from '../paths.js';
import { parseArgv } from '../../lib/argv.js';
import { parseBoolean } from '../../lib/booleans.js';
import { CATALOG, KIND_ALIASES, catalogEntry } from '../../generators/catalog.js';
import { EXIT, type Io } from '../io.js';
import { KINDS } from '../../lib/standard/kinds.js';

function newHelp(): string {
  const kinds = CATALOG.map((c) => `  ${c.key.padEnd(12)}${c.newRepo ? `new repo: ${KINDS[c.newRepo.kind].summary}` : 'add it to the Puruto in the current folder'}`);
  // One usage block: the app's options follow under their own heading, not a second "Usage:".
  const app = catalogEntry('app')!.help('puruto').split('\n');
  return [
    'Usage: puruto new [kind] [name] [options]',
    '',
    'Runs the same generators as `yo puruto` without needing yo. Kinds:',
    ...kinds,
    '',
    'Default kind: app (a standard Puruto). `puruto new <kind> --help` lists that kind\'s options.',
    '',
    'Options of the default kind (puruto new [name] ...):',
    ...app.slice(app.indexOf('Options:') + 1),
  ].join('\n');
}

export async function newCommand(argv: readonly string[], io: Io): Promise<number> {
  let key = 'app';
  let rest = argv;
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-')) {
    if (KIND_ALIASES[first]) {
      key = KIND_ALIASES[first] as string;
      rest = argv.slice(1);
    }
  }
  const entry = catalogEntry(key)!;
  const args = parseArgv(rest, [...entry.questions, ...entry.options, { name: 'help', boolean: true, alias: 'h' }]);
  const errors = [...args.errors];
  const options: Record<string, unknown> = {};
  const questionNames = new Set(entry.questions.map((q) => q.name));
  for (const [name, value] of Object.entries(args.flags)) {
    if (name === 'help') continue;
    const spec = entry.options.find((o) => o.name === name);
    if (questionNames.has(name) || !spec?.boolean) {
      // Answers are validated by the generator exactly like typed answers.
      options[name] = value;
      continue;
    }
    const b = parseBoolean(value);
    if (b === undefined) errors.push(`--${name} expects true or false, got ${JSON.stringify(value)}`);
    else options[name] = b;
  }
  const maxPositionals = entry.newRepo ? 1 : 0;
  if (args.positionals.length > maxPositionals) {
    errors.push(`unexpected argument${args.positionals.length > 1 ? 's' : ''}: ${args.positionals.slice(maxPositionals).join(' ')}`);
  }
  if (args.flags['help'] === true) {
    io.out(key === 'app' && first !== 'app' && first !== 'standard' ? newHelp() : entry.help('puruto'));
    return EXIT.ok;
  }
  if (errors.length) {
    io.err(`puruto new: ${errors.join('; ')}\nRun \`puruto new${key === 'app' ? '' : ` ${key}`} --help\` for the options.`);
    return EXIT.usage;
  }
  if (entry.newRepo) {
    // Refuse bad input before paying for Yeoman, with the checks the generator runs too.
    const refused = await preflight(entry.newRepo, options, args.positionals[0], io.cwd);
    if (refused) {
      io.err(`puruto new: ${refused.message}`);
      return refused.code;
    }
  }
  const { createEnv } = await import('yeoman-environment');
  // Yeoman logs to stderr; what `puruto new` reports (files, validation, next steps) is
  // its result, so it goes to stdout. Errors are printed by this command on stderr.
  const env = createEnv({ cwd: io.cwd, stdout: process.stdout, stderr: process.stdout });
  const { GENERATOR_CLASSES } = await import('../../generators/classes.js');
  for (const c of CATALOG) {
    // Registered by class; `resolved` locates its templates/ folder.
    const Gen = GENERATOR_CLASSES[c.key as keyof typeof GENERATOR_CLASSES];
    env.register(Gen as never, { namespace: c.namespace, resolved: generatorEntry(c.key) });
  }
  try {
    await env.run([entry.namespace, ...args.positionals], { ...options, skipInstall: true });
    return EXIT.ok;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    io.err(`puruto new: ${(error as Error).message}`);
    if (process.env['PURUTO_DEBUG']) io.err(String((error as Error).stack));
    return code === EXIT.usage ? EXIT.usage : EXIT.failed;
  }
}

async function preflight(
  spec: NewRepoSpec,
  options: Record<string, unknown>,
  positionalName: string | undefined,
  cwd: string,
): Promise<{ code: 1 | 2; message: string } | undefined> {
  let file: Record<string, unknown> | undefined;
  if (typeof options['answers'] === 'string') {
    const read = await readAnswersFile(options['answers'], cwd);
    if (!read.ok) return { code: EXIT.usage, message: read.message };
    file = read.data;
  }
  const flags: Record<string, unknown> = {};
  for (const q of spec.table) flags[q.name] = options[q.name];
  if (positionalName !== undefined) flags['name'] = positionalName;
  const checked = await checkNewRepo({
    table: spec.table,
    kind: spec.kind,
    flags,
    file,
    interactive: isInteractive(options, Boolean(process.stdin.isTTY && process.stdout.isTTY)),
    cwd,
    home: os.homedir(),
    destination: typeof options['destination'] === 'string' ? options['destination'] : undefined,
  });
  return checked.ok ? undefined : { code: checked.code, message: checked.message };
}
