/**
 * The validator: a repo (or a folder of repos) in, findings out. Pure: it never
 * prints, never exits the process and never throws on a broken repo — every problem,
 * including an unexpected internal one, becomes a finding. The CLI picks exit codes.
 */
export { validateRepo, type ValidateOptions } from './repo.js';
export { validateWorkspace, looksLikePuruto, isEcosystemRoot } from './workspace.js';
export type { Report, WorkspaceReport } from './report.js';
export type { Finding, Level } from '../standard/findings.js';
