/**
 * The one option list of the upgrade (flags of `puruto upgrade` and `yo puruto:upgrade`,
 * their --help, the yo declarations, and how each is parsed), and the one reading of it
 * both use (upgradeRequest). Nothing is prompted: an upgrade has no answers to ask for,
 * only a repo and a mode.
 */
import { isVersionShaped, KNOWN_VERSIONS, LATEST } from '../../lib/upgrade/versions.js';
import type { UpgradeMode } from '../../lib/upgrade/index.js';
import { HELP_OPTION, type Option } from '../../lib/options/option.js';
import { renderHelp } from '../../lib/options/help.js';
import { optionProblem } from '../../lib/options/parse.js';

const TARGET: Option = {
  name: 'target-version',
  kind: 'value',
  value: 'V',
  description: `standard version to reach (default: ${LATEST}; known: ${KNOWN_VERSIONS.join(', ')})`,
  check: (v) => (isVersionShaped(v) ? undefined : `expects a version like ${LATEST}, got ${JSON.stringify(v)}`),
};

export const UPGRADE_OPTIONS: readonly Option[] = [
  TARGET,
  { name: 'plan', kind: 'flag', description: 'list the steps only; write nothing (the JSON actions lists are empty)' },
  { name: 'dry-run', kind: 'flag', description: 'run every step in memory and list its actions; write nothing' },
  {
    name: 'json',
    kind: 'flag',
    description:
      'print the report as JSON (path, current_version, target_version, dry_run, plan, applied, final_version)',
  },
  {
    name: 'check',
    kind: 'flag',
    description: 'write nothing; exit 1 when a migration is pending and say which (for CI)',
  },
  { name: 'allow-dirty', kind: 'flag', description: 'apply even when git reports uncommitted changes in the repo' },
  HELP_OPTION,
];

/** What the options ask of the upgrade (the same reading for the CLI and the generator). */
export interface UpgradeRequest {
  mode: UpgradeMode;
  /** --check: write nothing, fail when a migration is pending. */
  check: boolean;
  json: boolean;
  allowDirty: boolean;
  targetVersion?: string;
}

/**
 * The mode and target of an upgrade from its option values (`opt(name)`: the parsed flag,
 * or yo's option in either spelling). A bad --target-version is an argument error.
 */
export function upgradeRequest(
  opt: (name: string) => unknown,
): { ok: true; request: UpgradeRequest } | { ok: false; message: string } {
  const target = opt(TARGET.name);
  const problem = target === undefined ? undefined : optionProblem(TARGET, target);
  if (problem) return { ok: false, message: problem };
  const check = opt('check') === true;
  const mode: UpgradeMode = opt('plan') === true ? 'plan' : opt('dry-run') === true || check ? 'dry-run' : 'apply';
  return {
    ok: true,
    request: {
      mode,
      check,
      json: opt('json') === true,
      allowDirty: opt('allow-dirty') === true,
      ...(typeof target === 'string' ? { targetVersion: target } : {}),
    },
  };
}

export function upgradeHelp(via: 'yo' | 'puruto'): string {
  return renderHelp({
    head: [
      `Usage: ${via === 'yo' ? 'yo puruto:upgrade' : 'puruto upgrade'} [path] [options]`,
      '',
      'Migrate a Puruto (default: the current folder) to a newer standard version, step by step',
      `(${KNOWN_VERSIONS.join(' → ')}). A missing or empty .puruto-standard-version counts as 0.0.0.`,
      "Structure only: files the new version adds come from the generators' templates, rendered",
      'with the answers in .yo-rc.json when it has them; a file that exists is never overwritten',
      '(reported as "Kept"); in-place edits touch only their line. All steps are written or none.',
      'It refuses a git repo with uncommitted changes unless --allow-dirty.',
    ],
    options: UPGRADE_OPTIONS,
    tail: [
      'Recommended flow: --plan, then apply, then `puruto validate`.',
      'Exit codes: 0 ok (also: nothing to do, --plan, --dry-run); 1 no such repo, no supported',
      'migration path, uncommitted changes, a write that failed (message on stderr, no JSON), or',
      'with --check a pending migration; 2 argument error.',
    ],
  });
}
