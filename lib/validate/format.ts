/**
 * Human-readable text of validation reports (no colours; the caller prints it).
 */
import path from 'node:path';
import type { Report, WorkspaceReport } from './report.js';

/**
 * Control characters (C0, DEL, C1) and bidi overrides of file names shown as `\xNN` /
 * `\u{NNNN}`, so a hostile name cannot move the cursor, clear the screen or reorder
 * the text of a terminal report. JSON output needs none of this (JSON escapes them).
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- escaping control characters is this function's job
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function counts(errors: number, warnings: number): string {
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

function findingLines(report: Report, indent: string): string[] {
  return report.findings.map(
    (f) =>
      `${indent}${f.level === 'error' ? 'ERROR  ' : 'warning'} ${f.code} ` +
      `[${escapeControls(f.path)}]\n${indent}        ${escapeControls(f.message)}`,
  );
}

/** One repo: header with path and kind, one entry per finding, a summary line. */
export function formatReport(report: Report): string {
  const lines = [`Puruto ${escapeControls(report.path)}`, `kind: ${report.kind}`];
  if (report.findings.length > 0) lines.push('', ...findingLines(report, '  '), '');
  lines.push(`${report.ok ? 'OK' : 'FAILED'}: ${counts(report.errors, report.warnings)}`);
  return lines.join('\n');
}

/** A workspace: one line per clean repo, findings of the others, a total line. */
export function formatWorkspaceReport(r: WorkspaceReport): string {
  const lines = [`Workspace ${escapeControls(r.path)}`];
  for (const report of r.results) {
    const status = report.ok ? 'ok  ' : 'FAIL';
    lines.push(
      `${status} ${escapeControls(path.relative(r.path, report.path) || report.path)} (${report.kind}): ` +
        `${counts(report.errors, report.warnings)}`,
    );
    lines.push(...findingLines(report, '       '));
  }
  const failed = r.results.filter((x) => !x.ok).length;
  if (r.repos === 0 && r.ok) {
    lines.push(
      'No Purutos found: none of its folders has CLAUDE.md, agent.md, AGENTS.md, ' +
        '.claude/skills or .puruto-standard-version.',
    );
  }
  lines.push(
    '',
    `${r.ok ? 'OK' : 'FAILED'}: ${plural(r.repos, 'Puruto')} checked, ${failed} with errors; ` +
      `${counts(r.errors, r.warnings)}`,
  );
  return lines.join('\n');
}
