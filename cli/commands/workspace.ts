/**
 * `puruto workspace`: the Purutos of an ecosystem folder in one table (or one JSON
 * object). Part of the CommonJS bundle: lib only, no Yeoman.
 */
import os from 'node:os';
import path from 'node:path';
import { HELP_OPTION, type Option } from '../../lib/options/option.js';
import { renderHelp } from '../../lib/options/help.js';
import { parseOptions } from '../../lib/options/parse.js';
import { expandHome } from '../../lib/ecosystem.js';
import { REGISTRY_NAME } from '../../lib/registry.js';
import {
  defaultWorkspaceDir,
  listWorkspace,
  type WorkspaceListing,
  type WorkspacePuruto,
} from '../../lib/workspace.js';
import { DEFAULT_STATUS_PARALLEL } from '../../lib/workspace-status.js';
import { EXIT, type Io } from '../io.js';

/** The one option list of `puruto workspace` (its flags and --help). */
export const WORKSPACE_OPTIONS: readonly Option[] = [
  {
    name: 'status',
    kind: 'flag',
    description: [
      "also run each Puruto's status script (.claude/skills/status/scripts/status.py",
      '--json, with python3 or $PURUTO_PYTHON) and show its runtime state; up to',
      `${DEFAULT_STATUS_PARALLEL} scripts run at once ($PURUTO_STATUS_PARALLEL, 1-64); the table keeps its order`,
    ].join('\n'),
  },
  {
    name: 'strict',
    kind: 'flag',
    description: 'validate with our extra checks as errors (as `puruto validate --strict`)',
  },
  {
    name: 'json',
    kind: 'flag',
    description: [
      'print one JSON object instead of the table:',
      '{"path", "standard_version", "count", "ok", "registry",',
      ' "purutos": [{"name", "path", "kind", "version", "effective_version", "current",',
      '              "validation": {"ok", "errors", "warnings"}, "description", "skills",',
      '              "registered", "status": {"state", "summary", "problems"}}]}',
      'version is null when .puruto-standard-version is missing ("" when empty);',
      'effective_version is then 0.0.0. registered: listed in puruto-data/registry.json',
      '(null without a readable one). status only with --status; state is ok, problem',
      'or unknown.',
    ].join('\n'),
  },
  HELP_OPTION,
];

export const workspaceHelp = renderHelp({
  head: [
    'Usage: puruto workspace [DIR] [--status] [--json] [--strict]',
    '',
    'List every Puruto directly under DIR with its kind, standard version and validation',
    'status. DIR defaults to the current folder when it directly holds Purutos, else ~/purutos.',
  ],
  options: WORKSPACE_OPTIONS,
  tail: [
    'Exit codes: 0 listed (even when some Purutos have validation errors: see the table, or',
    '`puruto validate --workspace DIR`); 1 DIR does not exist or is not a folder; 2 argument error.',
  ],
});

function versionCell(p: WorkspacePuruto): string {
  if (p.version === null) return `${p.effective_version} (missing)`;
  if (p.version === '') return `${p.effective_version} (empty)`;
  return p.version;
}

function validationCell(p: WorkspacePuruto): string {
  const { ok, errors, warnings } = p.validation;
  const w = warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : '';
  if (ok) return w ? `ok (${w})` : 'ok';
  return `${errors} error${errors > 1 ? 's' : ''}${w ? `, ${w}` : ''}`;
}

function statusCell(p: WorkspacePuruto): string {
  return p.status ? `${p.status.state}: ${p.status.summary}` : '';
}

function table(listing: WorkspaceListing, withStatus: boolean): string {
  const head = ['NAME', 'KIND', 'VERSION', 'VALIDATION', ...(withStatus ? ['STATUS'] : [])];
  const rows = listing.purutos.map((p) => [
    p.name,
    p.kind,
    versionCell(p),
    validationCell(p),
    ...(withStatus ? [statusCell(p)] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

function summaryLine(listing: WorkspaceListing, withStatus: boolean): string[] {
  const ps = listing.purutos;
  const invalid = ps.filter((p) => !p.validation.ok).length;
  const outdated = ps.filter((p) => !p.current).length;
  const parts = [
    `${ps.length} Puruto${ps.length === 1 ? '' : 's'} in ${listing.path}`,
    `${ps.length - invalid} valid`,
    `${invalid} with errors`,
    `${outdated} not on standard ${listing.standard_version}`,
  ];
  if (withStatus) parts.push(`${ps.filter((p) => p.status?.state === 'ok').length} ready`);
  const lines = [parts.join(', ')];
  if (invalid) lines.push(`Details: puruto validate --workspace ${listing.path}`);
  if (outdated)
    lines.push('Upgrade: puruto upgrade <path> --plan, then puruto upgrade <path>, then puruto validate <path>');
  const unlisted = ps.filter((p) => p.registered === false && p.name !== 'puruto-data').map((p) => p.name);
  // The vault registers puruto-<name> only: suggest its command for those, a rename for the rest.
  const registrable = unlisted.filter((n) => REGISTRY_NAME.test(n));
  const unregistrable = unlisted.filter((n) => !REGISTRY_NAME.test(n));
  if (registrable.length)
    lines.push(
      `Not in puruto-data/registry.json (the gateway and invoker will not list them): ${registrable.join(', ')} — ` +
        `register with: cd puruto-data && python3 vault.py register <name>`,
    );
  if (unregistrable.length)
    lines.push(
      `Cannot be registered in puruto-data (the vault takes only puruto-<name>), so the gateway and invoker will ` +
        `not list them: ${unregistrable.join(', ')} — rename the folder to puruto-<name> to register it`,
    );
  return lines;
}

export async function workspaceCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseOptions(argv, WORKSPACE_OPTIONS);
  const errors = [...args.errors];
  if (args.positionals.length > 1) errors.push(`expected at most one folder, got ${args.positionals.length}`);
  if (errors.length) {
    io.err(`puruto workspace: ${errors.join('; ')}\n\n${workspaceHelp}`);
    return EXIT.usage;
  }
  if (args.values['help']) {
    io.out(workspaceHelp);
    return EXIT.ok;
  }
  const given = args.positionals[0];
  const dir =
    given === undefined
      ? defaultWorkspaceDir(io.cwd, os.homedir())
      : path.resolve(io.cwd, expandHome(given, os.homedir()));
  const withStatus = args.values['status'] === true;
  const parallelRaw = process.env['PURUTO_STATUS_PARALLEL'];
  const parallel = parallelRaw ? Number(parallelRaw) : DEFAULT_STATUS_PARALLEL;
  if (withStatus && !(Number.isInteger(parallel) && parallel >= 1 && parallel <= 64)) {
    io.err(
      `puruto workspace: PURUTO_STATUS_PARALLEL=${JSON.stringify(parallelRaw)} is not a whole number from 1 to 64: ` +
        `unset it (default ${DEFAULT_STATUS_PARALLEL}) or fix it`,
    );
    return EXIT.usage;
  }
  const result = await listWorkspace(dir, {
    strict: args.values['strict'] === true,
    status: withStatus ? { python: process.env['PURUTO_PYTHON'] || 'python3', parallel } : false,
  });
  if (!result.ok) {
    io.err(`puruto workspace: ${result.message}`);
    return EXIT.failed;
  }
  const { listing } = result;
  if (args.values['json']) {
    io.out(JSON.stringify(listing, null, 2));
    return EXIT.ok;
  }
  if (listing.count === 0) {
    io.out(
      `No Purutos in ${listing.path}.\nCreate an ecosystem there with \`puruto init ${listing.path}\`, or a Puruto ` +
        `with \`puruto new\`.`,
    );
    return EXIT.ok;
  }
  io.out([table(listing, withStatus), '', ...summaryLine(listing, withStatus)].join('\n'));
  return EXIT.ok;
}
