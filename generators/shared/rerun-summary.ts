/** The closing report of a re-run inside an existing Puruto: what changed, file by file. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { shownPath } from '../../lib/shown-path.js';
import type { Outcome } from './commit-policy.js';

export function rerunSummary(o: { dir: string; cwd: string; outcome: Outcome }): string {
  const { created, updated, overwritten, kept, unchanged } = o.outcome;
  const changed = created.length + updated.length + overwritten.length;
  const section = (title: string, files: readonly string[]): string[] =>
    files.length ? ['', `${title} (${files.length}):`, ...[...files].sort().map((f) => `  ${f}`)] : [];
  const lines = [
    changed === 0 && kept.length === 0
      ? `Nothing to change in ${o.dir}: it already has everything these answers generate.`
      : `Updated ${o.dir}`,
    ...section('Added', created),
    ...section('Updated (you had not changed them)', updated),
    ...section('Overwritten (you had changed them)', overwritten),
    ...section('Kept as you changed them (an add-on section may have been added)', kept),
    '',
    `Unchanged: ${unchanged} file${unchanged === 1 ? '' : 's'}.`,
  ];
  if (changed > 0 && existsSync(path.join(o.dir, '.git'))) {
    lines.push('', 'Next steps:', `  review and commit the changes: git -C ${shownPath(o.cwd, o.dir)} diff`);
  }
  return lines.join('\n');
}
