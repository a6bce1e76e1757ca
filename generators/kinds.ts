/**
 * The registry of Puruto kinds: every kind declares itself once in
 * `generators/<key>/kind.ts` (see shared/kind-declaration.ts), and this array lists them,
 * in the order `puruto new --help` shows them. Derived from it: the validator's kinds
 * (lib/standard/kinds.ts), the ecosystem (lib/ecosystem.ts), `puruto new`'s catalogue and
 * aliases (catalog.ts), the generator classes (classes.ts), `puruto upgrade`'s plans
 * (shared/artifacts.ts) and puruto:init's composition (init/kinds.ts).
 *
 * Adding a kind = its folder (kind.ts, index.ts = `export default kindGenerator(kind)`,
 * questions.ts, files.ts, templates/) + its import and its entry below.
 * No Yeoman here: the validator bundle loads this file.
 */
import app from './app/kind.js';
import data from './data/kind.js';
import gateway from './gateway/kind.js';
import cron from './cron/kind.js';
import telegram from './telegram/kind.js';
import type { EcosystemSlot } from './shared/kind-declaration.js';
// kind imports: end

export const KIND_REGISTRY = [
  app,
  data,
  gateway,
  cron,
  telegram,
  // kind entries: end
] as const;

export type RegisteredKind = (typeof KIND_REGISTRY)[number];

/** A registered kind that is part of the ecosystem puruto:init creates. */
export type EcosystemKind = Extract<RegisteredKind, { ecosystem: EcosystemSlot }>;

export function isEcosystemKind(k: RegisteredKind): k is EcosystemKind {
  return k.ecosystem !== null;
}

/** The declaration of `puruto new <key>` / `yo puruto:<key>`, if that key is a kind. */
export function kindByKey(key: string): RegisteredKind | undefined {
  return KIND_REGISTRY.find((k) => k.key === key);
}
