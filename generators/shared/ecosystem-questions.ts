import type { Table } from '../../lib/questions/table.js';

/** A one-line description: not empty, no line break, at most 1024 characters. */
export function checkDescription(v: string, what: string): string | undefined {
  if (v === '') return `the description is empty: say in one line what ${what}`;
  if (/[\r\n]/.test(v)) return 'the description must be a single line';
  if (v.length > 1024) return 'the description is longer than 1024 characters';
  return undefined;
}

/**
 * The question table of an ecosystem kind. Its name is fixed (the kind is detected by
 * the folder name), but `name` stays a question (flag, positional, --answers key,
 * .yo-rc.json) so the shared new-repo flow works unchanged: its default is the only
 * accepted value (`fixed`: never prompted), and --destination chooses where the repo goes.
 */
export function ecosystemQuestions(o: {
  /** e.g. puruto-cron */
  name: string;
  /** e.g. "the scheduler" */
  noun: string;
  /** completes "say in one line what ...", e.g. "this scheduler runs" */
  what: string;
  defaultDescription: string;
}) {
  return [
    {
      name: 'name',
      type: 'string',
      message: `Repo name (always ${o.name})`,
      description: `repo name: always ${o.name} (the kind is detected by it)`,
      positional: true,
      default: o.name,
      placeholder: o.name,
      fixed: true,
      validate: (v: string) =>
        v === o.name
          ? undefined
          : `${o.noun} is always named ${o.name} (the kind is detected by that name), got "${v}"; use --destination ` +
            `to choose where it goes`,
    },
    {
      name: 'description',
      type: 'string',
      message: 'One-line description',
      description: `one line saying what ${o.what}`,
      default: o.defaultDescription,
      placeholder: 'text',
      validate: (v: string) => checkDescription(v, o.what),
    },
  ] as const satisfies Table;
}
