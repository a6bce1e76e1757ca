/**
 * The four kind generators as puruto:init composes them: the very same classes (answers,
 * destination checks, files, .yo-rc.json, .agents/skills link), with one change — their
 * final step (validation + a long per-repo summary) is left to puruto:init, which wires
 * the repos first, then validates them, commits them and prints one summary.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EcosystemKey } from '../../lib/ecosystem.js';
import type { NewRepoGenerator } from '../shared/base.js';
import DataGenerator from '../data/index.js';
import TelegramGenerator from '../telegram/index.js';
import CronGenerator from '../cron/index.js';
import GatewayGenerator from '../gateway/index.js';

/** Each kind generator without its own end step: puruto:init validates, commits and reports every repo it created. */
class Data extends DataGenerator {
  static override composedByInit = true;
  override async end(): Promise<void> {}
}
class Telegram extends TelegramGenerator {
  static override composedByInit = true;
  override async end(): Promise<void> {}
}
class Cron extends CronGenerator {
  static override composedByInit = true;
  override async end(): Promise<void> {}
}
class Gateway extends GatewayGenerator {
  static override composedByInit = true;
  override async end(): Promise<void> {}
}

const CLASSES: Record<EcosystemKey, typeof NewRepoGenerator> = {
  data: Data,
  telegram: Telegram,
  cron: Cron,
  gateway: Gateway,
};

/**
 * Entry file of a sibling generator: Yeoman takes its templates/ folder from it. Found
 * from this module's own location (sources under tsx, dist/ when compiled or bundled:
 * the bundle rewrites import.meta.url to the real dist file).
 */
export function kindEntry(key: EcosystemKey): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), '..', key, `index${path.extname(here)}`);
}

/** The class to compose for a kind, with what yeoman-environment reads when it instantiates it. */
export function composedKind(key: EcosystemKey): typeof NewRepoGenerator & { namespace: string; resolved: string } {
  return Object.assign(CLASSES[key], { namespace: `puruto:${key}`, resolved: kindEntry(key) });
}
