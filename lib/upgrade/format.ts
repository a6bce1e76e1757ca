/** Human output of an upgrade (the JSON is the report itself). */
import { shellWord } from '../shown-path.js';
import { escapeControls } from '../validate/format.js';
import type { UpgradeMode, UpgradeReport } from './index.js';

export function formatUpgrade(report: UpgradeReport, kind: string, mode: UpgradeMode, check = false): string {
  const where = `${escapeControls(report.path)} (${kind})`;
  if (report.plan.length === 0) return `${where} is at standard ${report.current_version}, the target: nothing to do.`;
  const chain = [report.current_version, ...report.plan.map((s) => s.to)].join(' → ');
  const out = [`${mode === 'plan' ? 'Plan for' : mode === 'dry-run' ? 'Dry run for' : 'Upgraded'} ${where}: ${chain}`];
  for (const step of report.applied) {
    out.push(`  ${step.from} → ${step.to}`);
    for (const action of step.actions) out.push(`    - ${escapeControls(action)}`);
  }
  const shown = shellWord(report.path);
  const apply = `puruto upgrade ${shown}`;
  if (check) {
    out.push(
      `Upgrade pending: the repo is at ${report.current_version}, the target is ${report.target_version}. ` +
        `Apply with: ${apply}`,
    );
  } else if (mode === 'plan') {
    out.push(`Nothing written (--plan). See each step's actions with --dry-run; apply with: ${apply}`);
  } else if (mode === 'dry-run') {
    out.push(`Nothing written (--dry-run). Apply with: ${apply}`);
  } else {
    out.push(`Now at ${report.final_version}. Next: puruto validate ${shown}`);
  }
  return out.join('\n');
}
