import type { Option, Options } from './option.js';

/** The flag column of one option: `-y, --yes`, `--db, --no-db`, `--workspace <DIR>`. */
export function flagColumn(o: Option): string {
  const long = `--${o.name}`;
  const named = o.alias ? `-${o.alias}, ${long}` : long;
  if (o.kind === 'value') return `${named} <${o.value ?? 'value'}>`;
  return o.negatable ? `${named}, --no-${o.name}` : named;
}

/** The rows under "Options:" of every --help: one column of flags, the descriptions aligned. */
export function optionLines(options: Options): string[] {
  const shown = options.filter((o) => !o.hidden);
  const flags = shown.map(flagColumn);
  const width = Math.max(...flags.map((f) => f.length)) + 2;
  return shown.flatMap((o, i) => {
    const [first, ...more] = o.description.split('\n');
    return [`  ${flags[i]!.padEnd(width)}${first}`, ...more.map((l) => `  ${' '.repeat(width)}${l}`)];
  });
}

/** A command's --help: its own usage and intro, the Options block from its list, its notes. */
export function renderHelp(parts: { head: readonly string[]; options: Options; tail?: readonly string[] }): string {
  const lines = [...parts.head, '', 'Options:', ...optionLines(parts.options)];
  if (parts.tail?.length) lines.push('', ...parts.tail);
  return lines.join('\n');
}
