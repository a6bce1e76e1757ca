/**
 * What puruto:init does once every repo is on disk: wire the new repos to their siblings
 * (.env.example), register the ecosystem repos in puruto-data/registry.json, validate the
 * new repos, and give each valid one a first commit. Returns what happened; the
 * generator prints it (summary.ts). No Yeoman here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setEnvLine } from '../../lib/env-wiring.js';
import { ECOSYSTEM, VAULT_NAME, type EcosystemName } from '../../lib/ecosystem.js';
import type { FirstCommit } from '../../lib/git-init.js';
import { commitRecorded } from '../shared/pristine-step.js';
import { registerPurutos, type Registration } from '../../lib/registry.js';
import { validateRepo } from '../../lib/validate/index.js';
import { formatReport } from '../../lib/validate/format.js';

/** Which settings point each kind at a sibling, and at which one. */
const LINKS: Partial<Record<EcosystemName, { key: string; target: EcosystemName }[]>> = {
  'puruto-telegram': [{ key: 'PURUTO_DATA_PATH', target: 'puruto-data' }],
  'puruto-cron': [
    { key: 'PURUTO_DATA_PATH', target: 'puruto-data' },
    { key: 'PURUTO_TELEGRAM_PATH', target: 'puruto-telegram' },
  ],
  'puruto-gateway': [{ key: 'PURUTO_DATA_PATH', target: 'puruto-data' }],
};

export interface Wiring {
  repo: EcosystemName;
  key: string;
  value: string;
  outcome: 'set' | 'present' | 'missing';
}

export interface Finished {
  created: EcosystemName[];
  kept: EcosystemName[];
  wiring: Wiring[];
  registry: { ok: true; results: Registration[]; changed: boolean } | { ok: false; message: string } | undefined;
  /** formatReport text of each new repo with findings. */
  findings: string[];
  /** New repos that fail validation. */
  invalid: EcosystemName[];
  git: Partial<Record<EcosystemName, FirstCommit>>;
  gitRequested: boolean;
}

function wire(dir: string, repo: EcosystemName, present: Set<EcosystemName>): Wiring[] {
  const file = path.join(dir, repo, '.env.example');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: Wiring[] = [];
  for (const link of LINKS[repo] ?? []) {
    // A sibling that is not there stays on the runtime's default (which handles its absence).
    if (!present.has(link.target)) continue;
    const value = `../${link.target}`;
    const r = setEnvLine(text, link.key, value);
    text = r.text;
    out.push({ repo, key: link.key, value, outcome: r.outcome });
  }
  if (out.some((w) => w.outcome === 'set')) fs.writeFileSync(file, text);
  return out;
}

export async function finishEcosystem(o: {
  dir: string;
  created: EcosystemName[];
  kept: EcosystemName[];
  git: boolean;
}): Promise<Finished> {
  const present = new Set<EcosystemName>([...o.created, ...o.kept]);
  const wiring = o.created.flatMap((repo) => wire(o.dir, repo, present));
  // puruto-data does not list itself: the registry is the list of the vault's clients
  // (each gets a private folder in it), and the vault is private by design (SPEC §8), so
  // the gateway, which serves what the registry lists, must not expose it.
  const clients = ECOSYSTEM.map((k) => k.name).filter((n) => n !== VAULT_NAME && present.has(n));
  const registry =
    present.has(VAULT_NAME) && clients.length ? registerPurutos(path.join(o.dir, VAULT_NAME), clients) : undefined;
  const findings: string[] = [];
  const invalid: EcosystemName[] = [];
  for (const repo of o.created) {
    const report = await validateRepo(path.join(o.dir, repo));
    if (report.findings.length > 0) findings.push(formatReport(report));
    if (!report.ok) invalid.push(repo);
  }
  const git: Finished['git'] = {};
  if (o.git) {
    for (const repo of o.created) {
      if (invalid.includes(repo)) continue;
      git[repo] = commitRecorded(path.join(o.dir, repo), 'puruto init');
    }
  }
  return { created: o.created, kept: o.kept, wiring, registry, findings, invalid, git, gitRequested: o.git };
}
