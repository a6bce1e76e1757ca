/**
 * What a Puruto kind says about itself, once, in `generators/<key>/kind.ts`: the
 * registry (generators/kinds.ts) lists these declarations and everything else is derived
 * from it (the validator's kinds, the ecosystem, `puruto new`'s catalogue, the generator
 * classes, `puruto upgrade`'s plans, puruto:init's composition). Types only: a
 * declaration imports its question table and file plan, never its generator (Yeoman),
 * so the validator bundle can read it. `plan` and `addOns` are methods: any declaration
 * is then a KindDeclaration (their answers checked bivariantly), whatever its table.
 */
import type { AnswersOf, Table } from '../../lib/questions/table.js';
import type { StdCode } from '../../lib/standard/findings.js';
import type { PlannedFile } from './spec.js';

/** An ecosystem kind's place: puruto:init creates them by `order` (the vault first). */
export interface EcosystemSlot {
  readonly order: number;
  /** The vault: the others point at it and are registered in its registry.json. */
  readonly vault?: true;
}

export interface KindDeclaration<
  K extends string = string,
  N extends string = string,
  T extends Table = Table,
  E extends EcosystemSlot | null = EcosystemSlot | null,
> {
  /** `yo puruto:<key>`, `puruto new <key>`, and the folder under generators/ (templates). */
  readonly key: K;
  /** The kind as the validator prints it and .yo-rc.json records it: `standard` or the repo name. */
  readonly kind: N;
  /** Its place in `puruto new --help` and every list of kinds (ascending). */
  readonly listed: number;
  /** One line for help texts (`puruto new --help`, name hints, puruto init's summary). */
  readonly summary: string;
  /** The paragraph under the usage line of its `--help`. */
  readonly helpSummary: string;
  /** Its question table: prompts, flags, --answers keys, .yo-rc.json answers. */
  readonly table: T;
  /** Which files it writes for these answers (templates relative to its templates/ folder). */
  plan(answers: AnswersOf<T>): PlannedFile[];
  /** Files (relative, posix) the validator requires besides the standard minimum. */
  readonly requiredFiles: readonly string[];
  /** Folders the validator requires. */
  readonly requiredDirs: readonly string[];
  /** Skills the validator requires besides the core four (the plan writes the same array). */
  readonly requiredSkills: readonly string[];
  /** Finding code of a missing required file, folder or skill; null when it requires none. */
  readonly missingCode: StdCode | null;
  /** Its place in the ecosystem puruto:init creates, or null when it is not part of it. */
  readonly ecosystem: E;
  /** Add-on generators (puruto:<key>) to compose for these answers, e.g. ipc. */
  addOns?(answers: AnswersOf<T>): readonly string[];
}

/** Declares a kind, keeping its key, name, table and ecosystem slot as literal types. */
export function defineKind<
  const K extends string,
  const N extends string,
  T extends Table,
  const E extends EcosystemSlot | null,
>(declaration: KindDeclaration<K, N, T, E>): KindDeclaration<K, N, T, E> {
  return declaration;
}
