/**
 * Report assembly: de-duplication, deterministic order, counts, and the exact key
 * order of the standard's JSON output (path, kind, ok, errors, warnings, findings).
 */
import type { Finding } from '../standard/findings.js';
import type { KindName } from '../standard/kinds.js';

export interface Report {
  path: string;
  kind: KindName;
  ok: boolean;
  errors: number;
  warnings: number;
  findings: Finding[];
}

export interface WorkspaceReport {
  path: string;
  ok: boolean;
  repos: number;
  errors: number;
  warnings: number;
  results: Report[];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Errors first, then by path, code, message. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.level !== b.level) return a.level === 'error' ? -1 : 1;
  return compare(a.path, b.path) || compare(a.code, b.code) || compare(a.message, b.message);
}

/**
 * `unreadable-path` is the fallback code: drop it where another finding already
 * explains the same path, and keep one per path. Exact duplicates are dropped too.
 */
export function tidy(findings: Finding[]): Finding[] {
  const explained = new Set(findings.filter((f) => f.code !== 'unreadable-path').map((f) => f.path));
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.code === 'unreadable-path' && explained.has(f.path)) continue;
    const key =
      f.code === 'unreadable-path' ? `${f.code}\0${f.path}` : `${f.level}\0${f.code}\0${f.path}\0${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Fixed key order, whatever built the object.
    out.push({ level: f.level, code: f.code, path: f.path, message: f.message });
  }
  return out.sort(compareFindings);
}

export function makeReport(path: string, kind: KindName, findings: Finding[]): Report {
  const list = tidy(findings);
  const errors = list.filter((f) => f.level === 'error').length;
  return { path, kind, ok: errors === 0, errors, warnings: list.length - errors, findings: list };
}

export function makeWorkspaceReport(path: string, results: Report[], extraErrors = 0): WorkspaceReport {
  const errors = results.reduce((n, r) => n + r.errors, 0) + extraErrors;
  const warnings = results.reduce((n, r) => n + r.warnings, 0);
  return { path, ok: errors === 0, repos: results.length, errors, warnings, results };
}
