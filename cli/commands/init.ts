import os from 'node:os';
import { Writable } from 'node:stream';
import { parseOptions } from '../../lib/options/parse.js';
import { inspectEcosystem, resolveEcosystemDir } from '../../lib/ecosystem.js';
import { isInteractive } from '../../lib/questions/gather.js';
import { initHelp, OPTIONS } from '../../generators/init/questions.js';
import { asPurutoError } from '../../generators/shared/run-errors.js';
import { generatorEntry } from '../paths.js';
import { yeomanStream } from '../yeoman-output.js';
import { EXIT, type Io } from '../io.js';

/** Yeoman's log as complete lines on io.out (so a caller, or a test, sees the report). */
function lineWriter(out: (text: string) => void): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      pending += chunk.toString();
      const cut = pending.lastIndexOf('\n');
      if (cut !== -1) {
        out(pending.slice(0, cut + 1));
        pending = pending.slice(cut + 1);
      }
      done();
    },
    final(done) {
      if (pending) out(pending);
      pending = '';
      done();
    },
  });
}

/** `puruto init [dir] [--telegram] [--cron] [--gateway] [--all] [--no-git] [--yes] ...` */
export async function initCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseOptions(argv, OPTIONS);
  const errors = [...args.errors];
  const { help, ...options } = args.values;
  if (args.positionals.length > 1) errors.push(`expected at most one folder, got: ${args.positionals.join(' ')}`);
  if (args.positionals.length === 1 && options['dir'] !== undefined)
    errors.push('give the folder either as an argument or as --dir, not both');
  if (help === true) {
    io.out(initHelp('puruto'));
    return EXIT.ok;
  }
  if (errors.length) {
    io.err(`puruto init: ${errors.join('; ')}\nRun \`puruto init --help\` for the options.`);
    return EXIT.usage;
  }
  // Refuse an unusable folder before paying for Yeoman (the generator checks it again).
  const dirArg = args.positionals[0] ?? (typeof options['dir'] === 'string' ? options['dir'] : undefined);
  const state = inspectEcosystem(resolveEcosystemDir(dirArg, io.cwd, os.homedir()));
  if (state.problem) {
    io.err(`puruto init: ${state.problem}`);
    return EXIT.failed;
  }

  const { createEnv } = await import('yeoman-environment');
  // Prompts need the real terminal; otherwise the report goes through io (stdout).
  const interactive = isInteractive(options, Boolean(process.stdin.isTTY && process.stdout.isTTY));
  const lines = lineWriter((t) => io.out(t.replace(/\n$/, '')));
  const out = interactive
    ? yeomanStream(process.stdout)
    : yeomanStream(process.stdout, (t, done) => lines.write(t, done));
  const env = createEnv({ cwd: io.cwd, stdout: out, stderr: out });
  const { GENERATOR_CLASSES } = await import('../../generators/classes.js');
  // puruto:init composes the kind generators by class itself (generators/init/kinds.ts).
  env.register(GENERATOR_CLASSES.init as never, { namespace: 'puruto:init', resolved: generatorEntry('init') });
  try {
    await env.run(['puruto:init', ...args.positionals], { ...options, skipInstall: true });
    return EXIT.ok;
  } catch (error) {
    const ours = asPurutoError(error);
    io.err(`puruto init: ${(ours ?? (error as Error)).message}`);
    if (process.env['PURUTO_DEBUG']) io.err(String((error as Error).stack));
    return ours ? ours.code : EXIT.failed;
  } finally {
    lines.end();
  }
}
