import path from 'node:path';
import { parseArgv } from '../../lib/argv.js';
import { isVersionShaped } from '../../lib/upgrade/versions.js';
import { upgrade, type UpgradeMode } from '../../lib/upgrade/index.js';
import { formatUpgrade } from '../../lib/upgrade/format.js';
import { generatorArtifacts } from '../../generators/shared/artifacts.js';
import { UPGRADE_OPTIONS, upgradeHelp } from '../../generators/upgrade/questions.js';
import { EXIT, type Io } from '../io.js';

export async function upgradeCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgv(argv, [
    ...UPGRADE_OPTIONS.map((o) => ({ name: o.name, boolean: o.boolean })),
    { name: 'help', boolean: true, alias: 'h' },
  ]);
  const errors = [...args.errors];
  for (const o of [...UPGRADE_OPTIONS, { name: 'help', boolean: true }]) {
    const v = args.flags[o.name];
    if (o.boolean && typeof v === 'string') errors.push(`--${o.name} takes no value`);
  }
  const target = args.flags['target-version'];
  if (target !== undefined && (typeof target !== 'string' || !isVersionShaped(target))) {
    errors.push(`--target-version expects a version like 0.2.0, got ${JSON.stringify(target)}`);
  }
  if (args.positionals.length > 1) errors.push(`expected at most one path, got ${args.positionals.length}`);
  if (args.flags['help'] === true && errors.length === 0) {
    io.out(upgradeHelp('puruto'));
    return EXIT.ok;
  }
  if (errors.length) {
    io.err(`puruto upgrade: ${errors.join('; ')}\nRun \`puruto upgrade --help\` for the options.`);
    return EXIT.usage;
  }
  const check = args.flags['check'] === true;
  const mode: UpgradeMode =
    args.flags['plan'] === true ? 'plan' : args.flags['dry-run'] === true || check ? 'dry-run' : 'apply';
  const outcome = upgrade({
    path: path.resolve(io.cwd, args.positionals[0] ?? '.'),
    ...(typeof target === 'string' ? { targetVersion: target } : {}),
    mode,
    allowDirty: args.flags['allow-dirty'] === true,
    artifacts: generatorArtifacts,
  });
  if (!outcome.ok) {
    io.err(`puruto upgrade: ${outcome.message}`);
    return EXIT.failed;
  }
  const pending = check && outcome.report.plan.length > 0;
  if (args.flags['json'] === true) {
    io.out(JSON.stringify(outcome.report, null, 2));
    if (pending) io.err(formatUpgrade(outcome.report, outcome.kind, mode, true).split('\n').at(-1)!);
  } else {
    io.out(formatUpgrade(outcome.report, outcome.kind, mode, check));
  }
  return pending ? EXIT.failed : EXIT.ok;
}
