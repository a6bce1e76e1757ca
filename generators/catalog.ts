/**
 * The generators this package ships, as `puruto new` sees them. No Yeoman import here:
 * `puruto new --help` and argument errors must not pay for loading yeoman-environment.
 */
import type { FlagSpec } from '../lib/argv.js';
import { flagSpecs } from '../lib/options/parse.js';
import { COMMON_OPTIONS, NEW_REPO_OPTIONS } from './shared/spec.js';
import { addOnHelp, newRepoHelp, type NewRepoSpec } from './shared/help.js';
import { spec as appSpec } from './app/questions.js';
import { spec as dataSpec } from './data/questions.js';
import { spec as cronSpec } from './cron/questions.js';
import { spec as telegramSpec } from './telegram/questions.js';
import { spec as gatewaySpec } from './gateway/questions.js';

export interface CatalogEntry {
  /** `puruto new <key>`; also the folder under generators/. */
  key: string;
  namespace: string;
  help(via: 'yo' | 'puruto'): string;
  /** Flags of its question table (validated by the generator like typed answers). */
  questions: FlagSpec[];
  /** Its other options (--yes, --answers, --destination ...). */
  options: FlagSpec[];
  /** The question table and kind of a generator that creates a new repo (takes a name). */
  newRepo?: NewRepoSpec;
}

const common: FlagSpec[] = flagSpecs(COMMON_OPTIONS);
const newRepo: FlagSpec[] = flagSpecs(NEW_REPO_OPTIONS);

export const CATALOG: readonly CatalogEntry[] = [
  {
    key: 'app',
    namespace: 'puruto:app',
    help: (via) => newRepoHelp(appSpec, via),
    questions: appSpec.table.map((q) => ({ name: q.name, boolean: q.type === 'boolean' })),
    options: [...common, ...newRepo],
    newRepo: appSpec,
  },
  {
    key: 'data',
    namespace: 'puruto:data',
    help: (via) => newRepoHelp(dataSpec, via),
    questions: dataSpec.table.map((q) => ({ name: q.name, boolean: false })),
    options: [...common, ...newRepo],
    newRepo: dataSpec,
  },
  {
    key: 'gateway',
    namespace: 'puruto:gateway',
    help: (via) => newRepoHelp(gatewaySpec, via),
    questions: gatewaySpec.table.map((q) => ({ name: q.name, boolean: false })),
    options: [...common, ...newRepo],
    newRepo: gatewaySpec,
  },
  {
    key: 'cron',
    namespace: 'puruto:cron',
    help: (via) => newRepoHelp(cronSpec, via),
    questions: cronSpec.table.map((q) => ({ name: q.name, boolean: false })),
    options: [...common, ...newRepo],
    newRepo: cronSpec,
  },
  {
    key: 'telegram',
    namespace: 'puruto:telegram',
    help: (via) => newRepoHelp(telegramSpec, via),
    questions: telegramSpec.table.map((q) => ({ name: q.name, boolean: false })),
    options: [...common, ...newRepo],
    newRepo: telegramSpec,
  },
  {
    key: 'ipc',
    namespace: 'puruto:ipc',
    help: (via) =>
      addOnHelp('ipc', 'Add IPC to this Puruto: /call, .puruto-ipc.json (deny-by-default), ipc.py, invoker.py.', via),
    questions: [],
    options: common,
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
    questions: [],
    options: common,
  },
];

/** Words accepted as the kind of `puruto new [kind]`. */
export const KIND_ALIASES: Readonly<Record<string, string>> = {
  standard: 'app',
  app: 'app',
  data: 'data',
  cron: 'cron',
  gateway: 'gateway',
  telegram: 'telegram',
  ipc: 'ipc',
  'agent-tests': 'agent-tests',
};

export function catalogEntry(key: string): CatalogEntry | undefined {
  return CATALOG.find((c) => c.key === key);
}
