/**
 * The registry of Puruto kinds: every kind declares itself once in
 * `generators/<key>/kind.ts` (see shared/kind-declaration.ts), and this array lists them,
 * in the order `puruto new --help` shows them. Derived from it: the validator's kinds
 * (lib/standard/kinds.ts), the ecosystem (lib/ecosystem.ts), `puruto new`'s catalogue and
 * aliases (catalog.ts), the generator classes (classes.ts), `puruto upgrade`'s plans
 * (shared/artifacts.ts) and puruto:init's composition (init/kinds.ts).
 *
 * Adding a kind = its folder (kind.ts, index.ts = `export default kindGenerator(kind)`,
 * questions.ts, files.ts, templates/) + its line in kind-list.ts.
 * No Yeoman here: the validator bundle loads this file.
 */
import * as declared from './kind-list.js';
import type { EcosystemSlot } from './shared/kind-declaration.js';

export type RegisteredKind = (typeof declared)[keyof typeof declared];

export const KIND_REGISTRY: readonly RegisteredKind[] = Object.values(declared).sort((a, b) => a.listed - b.listed);

/** A registered kind that is part of the ecosystem puruto:init creates. */
export type EcosystemKind = Extract<RegisteredKind, { ecosystem: EcosystemSlot }>;

export function isEcosystemKind(k: RegisteredKind): k is EcosystemKind {
  return k.ecosystem !== null;
}

/** The declaration of `puruto new <key>` / `yo puruto:<key>`, if that key is a kind. */
export function kindByKey(key: string): RegisteredKind | undefined {
  return KIND_REGISTRY.find((k) => k.key === key);
}
