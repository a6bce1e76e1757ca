/**
 * The generators this package ships, as `puruto new` sees them. No Yeoman import here:
 * `puruto new --help` and argument errors must not pay for loading yeoman-environment.
 */
import { addOnHelp, newRepoHelp, type NewRepoSpec } from './shared/help.js';
import { KIND_REGISTRY } from './kinds.js';
import { newRepoSpec } from './shared/new-repo-spec.js';

export interface CatalogEntry {
  /** `puruto new <key>`; also the folder under generators/. */
  key: string;
  namespace: string;
  help(via: 'yo' | 'puruto'): string;
  /** The question table and kind of a generator that creates a new repo (takes a name). */
  newRepo?: NewRepoSpec;
}

/** A kind's entry, from its declaration (generators/<key>/kind.ts). */
function kindEntry(kind: (typeof KIND_REGISTRY)[number]): CatalogEntry {
  const spec = newRepoSpec(kind);
  return {
    key: kind.key,
    namespace: `puruto:${kind.key}`,
    help: (via) => newRepoHelp(spec, via),
    newRepo: spec,
  };
}

/** The kinds (generators/kinds.ts), then the add-ons, which are not kinds. */
export const CATALOG: readonly CatalogEntry[] = [
  ...KIND_REGISTRY.map(kindEntry),
  {
    key: 'ipc',
    namespace: 'puruto:ipc',
    help: (via) =>
      addOnHelp('ipc', 'Add IPC to this Puruto: /call, .puruto-ipc.json (deny-by-default), ipc.py, invoker.py.', via),
  },
  {
    key: 'agent-tests',
    namespace: 'puruto:agent-tests',
    help: (via) =>
      addOnHelp(
        'agent-tests',
        'Add tests/agent/: declarative agent cases run by pytest with a deterministic mock runner.',
        via,
      ),
  },
];

/** Words accepted as the kind of `puruto new [kind]`: every key, and `standard` for the app. */
export const KIND_ALIASES: Readonly<Record<string, string>> = {
  standard: 'app',
  ...Object.fromEntries(CATALOG.map((c) => [c.key, c.key])),
};

export function catalogEntry(key: string): CatalogEntry | undefined {
  return CATALOG.find((c) => c.key === key);
}
