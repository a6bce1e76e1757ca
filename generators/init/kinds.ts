/**
 * The ecosystem kinds' generators as puruto:init composes them: the very same classes
 * (answers, destination checks, files, .yo-rc.json, .agents/skills link), with one change —
 * their final step (validation + a long per-repo summary) is left to puruto:init, which
 * wires the repos first, then validates them, commits them and prints one summary.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EcosystemKey } from '../../lib/ecosystem.js';
import { kindGenerator, type KindGeneratorClass } from '../shared/kind-generator.js';
import { kindByKey } from '../kinds.js';

type Composed = KindGeneratorClass & { namespace: string; resolved: string };

const composed = new Map<EcosystemKey, Composed>();

/** A kind's generator without its own end step: puruto:init validates, commits and reports every repo it created. */
function composedByInit(key: EcosystemKey): KindGeneratorClass {
  const Kind = kindGenerator(kindByKey(key)!);
  return class extends Kind {
    static override composedByInit = true;
    override async end(): Promise<void> {}
  };
}

/**
 * Entry file of a sibling generator: Yeoman takes its templates/ folder from it. Found
 * from this module's own location (sources under tsx, dist/ when compiled or bundled:
 * the bundle rewrites import.meta.url to the real dist file).
 */
export function kindEntry(key: EcosystemKey): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), '..', key, `index${path.extname(here)}`);
}

/** The class to compose for a kind (one per kind), with what yeoman-environment reads when it instantiates it. */
export function composedKind(key: EcosystemKey): Composed {
  let C = composed.get(key);
  if (!C) {
    C = Object.assign(composedByInit(key), { namespace: `puruto:${key}`, resolved: kindEntry(key) });
    composed.set(key, C);
  }
  return C;
}
