import type { Table } from './table.js';

export interface ExtraOption {
  flag: string;
  description: string;
  value?: string;
}

/** --help text from a question table; shared by `yo puruto --help` and `puruto new --help`. */
export function helpText(opts: {
  usage: string;
  summary: string;
  table: Table;
  extra: readonly ExtraOption[];
  notes?: readonly string[];
}): string {
  const rows: [string, string][] = [];
  for (const q of opts.table) {
    const flag =
      q.type === 'boolean'
        ? q.negatable === false
          ? `--${q.name}`
          : `--${q.name}, --no-${q.name}`
        : `--${q.name} <${q.placeholder ?? (q.type === 'list' ? 'a,b' : 'text')}>`;
    const def =
      q.default === undefined
        ? ' (required)'
        : ` (default: ${Array.isArray(q.default) ? q.default.join(',') || 'none' : q.default === '' ? 'empty' : String(q.default)})`;
    rows.push([flag, `${q.description}${def}`]);
  }
  for (const e of opts.extra) rows.push([e.value ? `${e.flag} <${e.value}>` : e.flag, e.description]);
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  const lines = [
    `Usage: ${opts.usage}`,
    '',
    opts.summary,
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`),
  ];
  if (opts.notes?.length) lines.push('', ...opts.notes);
  return lines.join('\n');
}
