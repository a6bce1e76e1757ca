import path from 'node:path';
import { parseOptions, targetErrors } from '../../lib/options/parse.js';
import { generatorVersion } from '../../lib/package-version.js';
import { purutosIn } from '../../lib/validate/workspace.js';
import { update, type UpdateOutcome, type UpdateReport } from '../../lib/update/index.js';
import { formatUpdate } from '../../lib/update/format.js';
import { renderRepo } from '../../generators/shared/rendering.js';
import { UPDATE_EXIT, UPDATE_OPTIONS, updateHelp, updateRequest } from '../../generators/update/questions.js';
import type { Io } from '../io.js';

/** Exit code of one repo's outcome. */
export function updateExit(o: UpdateOutcome): number {
  if (!o.ok) return UPDATE_EXIT.failed;
  return o.report.status === 'conflicts' || o.report.status === 'side-by-side' ? UPDATE_EXIT.merge : UPDATE_EXIT.ok;
}

export async function updateCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseOptions(argv, UPDATE_OPTIONS);
  const errors = [...args.errors, ...targetErrors(args, true)];
  const workspace = args.values['workspace'];
  if (args.values['help'] === true && errors.length === 0) {
    io.out(updateHelp('puruto'));
    return UPDATE_EXIT.ok;
  }
  if (errors.length) {
    io.err(`puruto update: ${errors.join('; ')}\nRun \`puruto update --help\` for the options.`);
    return UPDATE_EXIT.usage;
  }
  const { dryRun, adopt, json, force } = updateRequest((name) => args.values[name]);
  const run = (repo: string): UpdateOutcome =>
    update({
      path: repo,
      dryRun,
      adopt,
      force,
      generatorVersion: generatorVersion(),
      render: renderRepo,
    });
  if (typeof workspace === 'string') {
    const dir = path.resolve(io.cwd, workspace);
    const repos = purutosIn(dir);
    if (repos === undefined) {
      io.err(
        `puruto update: the workspace ${dir} is not a readable folder; pass the folder that holds your Purutos ` +
          `(e.g. ~/purutos)`,
      );
      return UPDATE_EXIT.failed;
    }
    const outcomes = repos.map((r) => ({ repo: r, outcome: run(r) }));
    const codes = outcomes.map((o) => updateExit(o.outcome));
    const code = codes.includes(UPDATE_EXIT.failed)
      ? UPDATE_EXIT.failed
      : codes.includes(UPDATE_EXIT.merge)
        ? UPDATE_EXIT.merge
        : UPDATE_EXIT.ok;
    if (json) {
      const list = outcomes.map((o) => (o.outcome.ok ? o.outcome.report : { path: o.repo, error: o.outcome.message }));
      io.out(JSON.stringify({ workspace: dir, repos: list }, null, 2));
    } else {
      if (repos.length === 0) io.out(`no Purutos in ${dir}`);
      for (const o of outcomes) {
        if (o.outcome.ok) io.out(formatUpdate(o.outcome.report));
        else io.err(`puruto update: ${o.outcome.message}`);
      }
    }
    return code;
  }
  const outcome = run(path.resolve(io.cwd, args.positionals[0] ?? '.'));
  if (!outcome.ok) {
    io.err(`puruto update: ${outcome.message}`);
    return UPDATE_EXIT.failed;
  }
  io.out(json ? JSON.stringify(outcome.report satisfies UpdateReport, null, 2) : formatUpdate(outcome.report));
  return updateExit(outcome);
}
