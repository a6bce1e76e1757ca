import { validateRepo } from '../../lib/validate/index.js';
import { formatReport } from '../../lib/validate/format.js';
import { PurutoError } from './errors.js';

type Log = (message: string) => void;

/**
 * The validation hook every generator ends with: validate what was written, print the
 * findings, fail the run (exit 1) on any error.
 */
export async function validationHook(dir: string, log: Log): Promise<void> {
  const report = await validateRepo(dir);
  if (report.findings.length > 0 || !report.ok) log(formatReport(report));
  else log(`Validation: ${report.kind} Puruto, 0 errors, 0 warnings.`);
  if (!report.ok) {
    throw new PurutoError(
      `the generated repo at ${dir} fails validation with ${report.errors} error(s): see the findings above`,
      1,
    );
  }
}

/** The closing summary: where, what, what next. */
export function summary(opts: { dir: string; files: readonly string[]; nextSteps: readonly string[] }): string {
  return [
    `Created ${opts.dir}`,
    '',
    `Files (${opts.files.length}):`,
    ...opts.files.map((f) => `  ${f}`),
    '',
    'Next steps:',
    ...opts.nextSteps.map((s) => `  ${s}`),
  ].join('\n');
}
