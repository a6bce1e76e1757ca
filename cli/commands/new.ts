import os from 'node:os';
import { readAnswersFile } from '../../lib/answers-file.js';
import { checkNewRepo } from '../../lib/new-repo.js';
import { findPurutoRoot } from '../../lib/puruto-root.js';
import { isInteractive } from '../../lib/questions/gather.js';
import { ADD_ON_OPTIONS, newRepoOptions, type NewRepoSpec } from '../../generators/shared/help.js';
import { generatorEntry } from '../paths.js';
import { parseOptions } from '../../lib/options/parse.js';
import { CATALOG, KIND_ALIASES, catalogEntry } from '../../generators/catalog.js';
import { EXIT, type Io } from '../io.js';
import { describeWriteFailure, discardOpenStagings, openStagings } from '../../lib/staging.js';
import { yeomanStream } from '../yeoman-output.js';
import { asPurutoError } from '../../generators/shared/run-errors.js';
import { KINDS } from '../../lib/standard/kinds.js';

function newHelp(): string {
  const kinds = CATALOG.map(
    (c) =>
      `  ${c.key.padEnd(12)}` +
      (c.newRepo ? `new repo: ${KINDS[c.newRepo.kind].summary}` : 'add it to the Puruto in the current folder'),
  );
  // One usage block: the app's options follow under their own heading, not a second "Usage:".
  const app = catalogEntry('app')!.help('puruto').split('\n');
  return [
    'Usage: puruto new [kind] [name] [options]',
    '',
    'Runs the same generators as `yo puruto` without needing yo. Kinds:',
    ...kinds,
    '',
    "Default kind: app (a standard Puruto). `puruto new <kind> --help` lists that kind's options.",
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
  // Its questions (a boolean answer takes true/false as its next word, nothing else) and options.
  const args = parseOptions(rest, entry.newRepo ? newRepoOptions(entry.newRepo) : ADD_ON_OPTIONS);
  const errors = [...args.errors];
  // Answers are validated by the generator (and the preflight) exactly like typed answers.
  const { help, ...options } = args.values;
  const maxPositionals = entry.newRepo ? 1 : 0;
  if (args.positionals.length > maxPositionals) {
    errors.push(
      `unexpected argument${args.positionals.length > 1 ? 's' : ''}: ` +
        `${args.positionals.slice(maxPositionals).join(' ')}`,
    );
  }
  const named = options['name'];
  if (entry.newRepo && args.positionals.length === 1 && typeof named === 'string' && named !== args.positionals[0]) {
    errors.push(
      `the name is given twice and differs: ${JSON.stringify(args.positionals[0])} and --name ` +
        `${JSON.stringify(named)}; give it once`,
    );
  }
  if (help === true) {
    io.out(key === 'app' && first !== 'app' && first !== 'standard' ? newHelp() : entry.help('puruto'));
    return EXIT.ok;
  }
  if (errors.length) {
    io.err(
      `puruto new: ${errors.join('; ')}\nRun \`puruto new${key === 'app' ? '' : ` ${key}`} --help\` for the options.`,
    );
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
  // Files are written into a temporary sibling and renamed into place (lib/staging.ts):
  // Yeoman's "create <file>" lines show where they end up, not the temporary folder.
  const shown = yeomanStream(process.stdout);
  const env = createEnv({ cwd: io.cwd, stdout: shown, stderr: shown });
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
    const ours = asPurutoError(error);
    // A failed write (disk full, no inodes ...) leaves nothing behind: the staging goes,
    // once the cause is read from the file system's counters (freeing it resets them).
    const where = openStagings()[0]?.final;
    const errno = typeof code === 'string' && /^E[A-Z]+$/.test(code);
    const message = errno
      ? `cannot write ${where ?? 'the new repo'}: ${describeWriteFailure(error, where ?? io.cwd)}; nothing was left ` +
        `behind, so you can run the same command again`
      : (ours ?? (error as Error)).message;
    discardOpenStagings();
    io.err(`puruto new: ${message}`);
    if (process.env['PURUTO_DEBUG']) io.err(String((error as Error).stack));
    return ours ? ours.code : EXIT.failed;
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
  const explicit = typeof options['destination'] === 'string' ? options['destination'] : undefined;
  // Inside a Puruto the generator works on that repo (stored answers, re-run rules): it checks.
  if (explicit === undefined && (await findPurutoRoot(cwd)).found !== false) return undefined;
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
    destination: explicit,
  });
  return checked.ok ? undefined : { code: checked.code, message: checked.message };
}
