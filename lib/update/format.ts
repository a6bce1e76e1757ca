/** Human output of `puruto update`: what happened, which files, what to run next. */
import type { UpdateReport } from './index.js';

const STATUS: Record<UpdateReport['status'], string> = {
  'up-to-date': 'already up to date',
  updated: 'updated',
  'would-update': 'would update (dry run: nothing written)',
  conflicts: 'merged with CONFLICTS (your merge is needed)',
  'side-by-side': 'new versions written beside your files (your merge is needed)',
  adopted: 'pristine base recorded (--adopt)',
};

export function formatUpdate(r: UpdateReport): string {
  const from = r.from_version ?? 'unrecorded';
  const lines = [`${r.path} (${r.kind}): generator-puruto ${from} → ${r.to_version}: ${STATUS[r.status]}`];
  if (r.base === 'none' && r.status !== 'adopted')
    lines.push('  no pristine base (refs/puruto/pristine): nothing is overwritten');
  for (const f of r.files) {
    const what = f.change === 'beside' ? `differs: the new version is ${f.path}.puruto-new` : f.change;
    lines.push(
      `  ${f.change === 'beside' ? '≠' : f.change === 'added' ? '+' : f.change === 'deleted' ? '-' : '~'} ` +
        `${f.path}  (${what})`,
    );
  }
  if (r.conflicts.length) lines.push(`  conflicts in: ${r.conflicts.join(', ')}`);
  if (r.would_conflict.length) lines.push(`  git would leave conflicts in: ${r.would_conflict.join(', ')}`);
  if (r.dry_run && r.stat) lines.push('', r.stat.replace(/\s+$/, ''));
  if (r.dry_run && r.diff) lines.push('', r.diff.replace(/\s+$/, ''));
  if (r.upgrade_pending) {
    lines.push(
      `  the standard version is ${r.upgrade_pending.current}, this package's is ${r.upgrade_pending.target}: ` +
        `also run puruto upgrade ${r.path}`,
    );
  }
  if (r.next.length) lines.push('Next:', ...r.next.map((n) => `  ${n}`));
  return lines.join('\n');
}
