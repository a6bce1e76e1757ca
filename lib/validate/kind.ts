/**
 * Kind detection: the repo folder's name when it is one of the ecosystem names (the
 * standard's rule), else the kind recorded by the generator in `.yo-rc.json`, else
 * `standard`. A broken `.yo-rc.json` only means "standard".
 */
import path from 'node:path';
import { isKindName, kindFromName, type KindName } from '../standard/kinds.js';
import type { RepoContext } from './context.js';

export const YO_RC_FILE = '.yo-rc.json';
export const GENERATOR_KEY = 'generator-puruto';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `generator-puruto` section of a parsed `.yo-rc.json`, if any. */
export function generatorSection(text: string): Record<string, unknown> | undefined {
  try {
    const data: unknown = JSON.parse(text);
    const section = isObject(data) ? data[GENERATOR_KEY] : undefined;
    return isObject(section) ? section : undefined;
  } catch {
    return undefined;
  }
}

/** The rule above, for a repo folder `root` whose `.yo-rc.json` text is read on demand. */
export function kindOf(root: string, readYoRc: () => string | undefined): KindName {
  const byName = kindFromName(path.basename(root));
  if (byName !== 'standard') return byName;
  const rc = readYoRc();
  const recorded = rc === undefined ? undefined : generatorSection(rc)?.['kind'];
  return isKindName(recorded) ? recorded : 'standard';
}

export function detectKind(ctx: RepoContext): KindName {
  return kindOf(ctx.root, () => {
    const rc = ctx.read(YO_RC_FILE);
    return rc.ok ? rc.text : undefined;
  });
}
