/**
 * The one option table of the upgrade (flags of `puruto upgrade` and `yo puruto:upgrade`,
 * their --help, and how each is parsed). Nothing is prompted: an upgrade has no answers
 * to ask for, only a repo and a mode.
 */
import { KNOWN_VERSIONS, LATEST } from '../../lib/upgrade/versions.js';

export interface UpgradeOption {
  name: string;
  boolean: boolean;
  value?: string;
  description: string;
}

export const UPGRADE_OPTIONS: readonly UpgradeOption[] = [
  {
    name: 'target-version',
    boolean: false,
    value: 'V',
    description: `standard version to reach (default: ${LATEST}; known: ${KNOWN_VERSIONS.join(', ')})`,
  },
  { name: 'plan', boolean: true, description: 'list the steps only; write nothing (the JSON actions lists are empty)' },
  { name: 'dry-run', boolean: true, description: 'run every step in memory and list its actions; write nothing' },
  {
    name: 'json',
    boolean: true,
    description:
      'print the report as JSON (path, current_version, target_version, dry_run, plan, applied, final_version)',
  },
  {
    name: 'check',
    boolean: true,
    description: 'write nothing; exit 1 when a migration is pending and say which (for CI)',
  },
  { name: 'allow-dirty', boolean: true, description: 'apply even when git reports uncommitted changes in the repo' },
];

export function upgradeHelp(via: 'yo' | 'puruto'): string {
  const rows = UPGRADE_OPTIONS.map(
    (o) => [o.value ? `--${o.name} <${o.value}>` : `--${o.name}`, o.description] as const,
  );
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return [
    `Usage: ${via === 'yo' ? 'yo puruto:upgrade' : 'puruto upgrade'} [path] [options]`,
    '',
    'Migrate a Puruto (default: the current folder) to a newer standard version, step by step',
    `(${KNOWN_VERSIONS.join(' → ')}). A missing or empty .puruto-standard-version counts as 0.0.0.`,
    "Structure only: files the new version adds come from the generators' templates, rendered",
    'with the answers in .yo-rc.json when it has them; a file that exists is never overwritten',
    '(reported as "Kept"); in-place edits touch only their line. All steps are written or none.',
    'It refuses a git repo with uncommitted changes unless --allow-dirty.',
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`),
    '',
    'Recommended flow: --plan, then apply, then `puruto validate`.',
    'Exit codes: 0 ok (also: nothing to do, --plan, --dry-run); 1 no such repo, no supported',
    'migration path, uncommitted changes, a write that failed (message on stderr, no JSON), or',
    'with --check a pending migration; 2 argument error.',
  ].join('\n');
}
