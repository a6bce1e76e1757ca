import { renderHelp } from '../options/help.js';
import type { Options } from '../options/option.js';

/**
 * --help of a generator: usage, summary, the Options block of its option list (its
 * questions first, see questionOptions) and notes; shared by `yo puruto…` and `puruto new|init`.
 */
export function helpText(opts: {
  usage: string;
  summary: string;
  options: Options;
  notes?: readonly string[];
}): string {
  return renderHelp({
    head: [`Usage: ${opts.usage}`, '', opts.summary],
    options: opts.options,
    ...(opts.notes ? { tail: opts.notes } : {}),
  });
}
