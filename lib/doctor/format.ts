/** Human output of `puruto doctor`: the machine first, then each Puruto, fixes indented. */
import type { DoctorReport } from './types.js';

const MARK = { ok: '✓', warn: '⚠', error: '✗' } as const;

export function formatDoctor(r: DoctorReport): string {
  const out = [`puruto doctor: ${r.path}`];
  let current: string | null | undefined;
  for (const c of r.checks) {
    if (c.repo !== current) {
      current = c.repo;
      out.push('', current ?? 'this machine');
    }
    out.push(`  ${MARK[c.level]} ${c.section.padEnd(8)} ${c.message}`);
    if (c.fix) out.push(`      fix: ${c.fix}`);
  }
  out.push('', `${r.errors} error(s), ${r.warnings} warning(s)${r.ok ? '' : ': fix the ✗ lines above'}`);
  return out.join('\n');
}
