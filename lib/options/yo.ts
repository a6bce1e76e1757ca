import type { Options } from './option.js';

/** Keeps a raw option value as given (a question's answer, validated by its table). */
export function Raw(value: unknown): unknown {
  return value;
}

export interface YoOption {
  name: string;
  config: { type: unknown; description: string; alias?: string; hide?: boolean };
}

/**
 * The `this.option(name, config)` declarations of a yo generator from its option list.
 * `--help` is Yeoman's own option (the generator's help() prints ours).
 */
export function yoOptions(options: Options): YoOption[] {
  return options
    .filter((o) => o.name !== 'help')
    .map((o) => ({
      name: o.name,
      config: {
        type: o.answer ? Raw : o.kind === 'value' ? String : Boolean,
        description: o.description.split('\n')[0]!,
        ...(o.alias ? { alias: o.alias } : {}),
        ...(o.hidden ? { hide: true } : {}),
      },
    }));
}

/** Declares every option of the list on a generator (its `this.option`). */
export function declareOptions(generator: { option(name: string, config: never): unknown }, options: Options): void {
  for (const o of yoOptions(options)) generator.option(o.name, o.config as never);
}
