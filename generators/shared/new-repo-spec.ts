import type { KindName } from '../../lib/standard/kinds.js';
import type { KindDeclaration } from './kind-declaration.js';
import type { NewRepoSpec } from './help.js';

/** Any kind declaration, whatever its answers (its plan and hooks take its own). */
export type AnyDeclaration = KindDeclaration;

/** The question table, kind and help summary of a kind, as the new-repo flow and --help read them. */
export function newRepoSpec(kind: AnyDeclaration): NewRepoSpec {
  return { kind: kind.kind as KindName, summary: kind.helpSummary, table: kind.table };
}
