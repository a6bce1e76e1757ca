import path from 'node:path';
import { parseOptions, targetErrors } from '../../lib/options/parse.js';
import { upgrade } from '../../lib/upgrade/index.js';
import { formatUpgrade } from '../../lib/upgrade/format.js';
import { generatorArtifacts } from '../../generators/shared/artifacts.js';
import { UPGRADE_OPTIONS, upgradeHelp, upgradeRequest } from '../../generators/upgrade/questions.js';
import { EXIT, type Io } from '../io.js';

export async function upgradeCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseOptions(argv, UPGRADE_OPTIONS);
  const errors = [...args.errors, ...targetErrors(args, false)];
  if (args.values['help'] === true && errors.length === 0) {
    io.out(upgradeHelp('puruto'));
    return EXIT.ok;
  }
  const asked = upgradeRequest((name) => args.values[name]);
  if (!asked.ok) errors.push(asked.message);
  if (errors.length || !asked.ok) {
    io.err(`puruto upgrade: ${errors.join('; ')}\nRun \`puruto upgrade --help\` for the options.`);
    return EXIT.usage;
  }
  const { mode, check, json, allowDirty, targetVersion } = asked.request;
  const outcome = upgrade({
    path: path.resolve(io.cwd, args.positionals[0] ?? '.'),
    ...(targetVersion !== undefined ? { targetVersion } : {}),
    mode,
    allowDirty,
    artifacts: generatorArtifacts,
  });
  if (!outcome.ok) {
    io.err(`puruto upgrade: ${outcome.message}`);
    return EXIT.failed;
  }
  const pending = check && outcome.report.plan.length > 0;
  if (json) {
    io.out(JSON.stringify(outcome.report, null, 2));
    if (pending) io.err(formatUpgrade(outcome.report, outcome.kind, mode, true).split('\n').at(-1)!);
  } else {
    io.out(formatUpgrade(outcome.report, outcome.kind, mode, check));
  }
  return pending ? EXIT.failed : EXIT.ok;
}
