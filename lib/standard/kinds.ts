/**
 * The kinds as the validator sees them, derived from the kind registry
 * (generators/kinds.ts: each kind declares itself once in generators/<key>/kind.ts).
 * Kind strings are the ones the original validator printed: `standard` or the
 * ecosystem repo name.
 */
import { KIND_REGISTRY } from '../../generators/kinds.js';
import type { StdCode } from './findings.js';
import { CORE_SKILLS, skillPath } from './core-skills.js';

export { CORE_SKILLS, skillPath };

export type KindName = (typeof KIND_REGISTRY)[number]['kind'];

export interface KindSpec {
  readonly kind: KindName;
  /** Yeoman sub-generator that creates it (`yo puruto:<generator>`). */
  readonly generator: string;
  /** Finding code used when one of its required components is missing. */
  readonly missingCode: StdCode | null;
  /** Files (relative, posix) the kind requires besides the standard minimum. */
  readonly requiredFiles: readonly string[];
  /** Folders the kind requires. */
  readonly requiredDirs: readonly string[];
  /** Skills the kind requires besides the core four. */
  readonly requiredSkills: readonly string[];
  /** One line for help texts. */
  readonly summary: string;
}

export const KINDS: Readonly<Record<KindName, KindSpec>> = Object.fromEntries(
  KIND_REGISTRY.map((k): [KindName, KindSpec] => [
    k.kind,
    {
      kind: k.kind,
      generator: k.key,
      missingCode: k.missingCode,
      requiredFiles: k.requiredFiles,
      requiredDirs: k.requiredDirs,
      requiredSkills: k.requiredSkills,
      summary: k.summary,
    },
  ]),
) as Record<KindName, KindSpec>;

export const KIND_NAMES = Object.keys(KINDS) as KindName[];

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && Object.hasOwn(KINDS, value);
}

/** Kind selected by a repo (folder) name: the ecosystem names (any kind but standard), else standard. */
export function kindFromName(name: string): KindName {
  return name !== 'standard' && isKindName(name) ? name : 'standard';
}

/** Every required component of a kind (files, dirs, skills) as relative paths. */
export function kindComponents(kind: KindName): { path: string; dir: boolean }[] {
  const spec = KINDS[kind];
  return [
    ...spec.requiredFiles.map((path) => ({ path, dir: false })),
    ...spec.requiredDirs.map((path) => ({ path, dir: true })),
    ...spec.requiredSkills.map((name) => ({ path: skillPath(name), dir: false })),
  ];
}
