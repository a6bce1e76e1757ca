/** The closing report of puruto:init: repos, wiring, root files, git, next steps. */
import fs from 'node:fs';
import path from 'node:path';
import { ECOSYSTEM, type EcosystemName } from '../../lib/ecosystem.js';
import { shownPath } from '../../lib/shown-path.js';
import { FALLBACK_IDENTITY } from '../../lib/git-init.js';
import { KINDS } from '../../lib/standard/kinds.js';
import type { Finished } from './finish.js';
import { INIT_COMMAND, START_STEPS } from '../shared/next-steps.js';

function gitCell(f: Finished, repo: EcosystemName): string {
  if (f.invalid.includes(repo)) return 'INVALID (not committed)';
  if (!f.gitRequested) return 'valid, not committed (--no-git)';
  const g = f.git[repo];
  if (!g) return 'valid';
  if (g.status === 'committed')
    return `valid, committed ${g.commit}${g.identity === 'fallback' ? ' (fallback identity)' : ''}`;
  if (g.status === 'skipped') return `valid, not committed (${g.reason})`;
  return `valid, not committed (${g.message})`;
}

export function renderSummary(o: {
  dir: string;
  cwd: string;
  finished: Finished;
  root: { path: string; outcome: string }[];
}): string {
  const f = o.finished;
  const rows = ECOSYSTEM.filter((k) => f.created.includes(k.name) || f.kept.includes(k.name)).map((k) => {
    const created = f.created.includes(k.name);
    return (
      `  ${(created ? 'created' : 'kept').padEnd(8)} ${k.name.padEnd(16)} ${KINDS[k.name].summary.padEnd(40)} ` +
      `${created ? gitCell(f, k.name) : 'already there, not touched'}`
    );
  });
  const lines = [`Ecosystem ${o.dir}`, '', 'Repos:', ...rows];

  const wiring: string[] = [];
  for (const repo of f.created) {
    const set = f.wiring.filter((w) => w.repo === repo);
    if (set.length)
      wiring.push(
        `  ${`${repo}/.env.example`.padEnd(30)}` +
          set.map((w) => `${w.key}=${w.value}${w.outcome === 'missing' ? ' (no such line: not set)' : ''}`).join(', '),
      );
  }
  if (f.registry) {
    if (!f.registry.ok) wiring.push(`  ${'puruto-data/registry.json'.padEnd(30)}NOT UPDATED: ${f.registry.message}`);
    else {
      const added = f.registry.results.filter((r) => r.status === 'registered').map((r) => r.name);
      const had = f.registry.results.filter((r) => r.status === 'already-registered').map((r) => r.name);
      const parts = [
        added.length ? `registered ${added.join(', ')}` : '',
        had.length ? `already registered: ${had.join(', ')}` : '',
      ].filter(Boolean);
      wiring.push(`  ${'puruto-data/registry.json'.padEnd(30)}${parts.join('; ')}`);
    }
  }
  if (wiring.length) lines.push('', 'Wiring:', ...wiring);

  lines.push('', 'Agent mode (this folder):', ...o.root.map((r) => `  ${r.outcome.padEnd(8)} ${r.path}`));

  const fallback = Object.values(f.git).some((g) => g?.status === 'committed' && g.identity === 'fallback');
  if (fallback) {
    lines.push(
      '',
      `Git: no user.name/user.email is configured, so the first commits are by "${FALLBACK_IDENTITY.name} ` +
        `<${FALLBACK_IDENTITY.email}>"`,
      '  (nothing was written to your git config). Set yours with git config --global user.name/user.email,',
      '  then, if you like, rewrite them: git -C <repo> commit --amend --reset-author --no-edit',
    );
  }

  const rel = shownPath(o.cwd, o.dir);
  const next = [
    ...(rel === '.' ? [] : [`cd ${rel}`]),
    'open your agent here (claude, codex, gemini ...) and run /workspace, or: puruto workspace',
  ];
  if (f.created.length)
    next.push(
      `in each new repo (${f.created.join(', ')}): cp .env.example .env, then ${INIT_COMMAND} (what /init runs in ` +
        `your agent)`,
    );
  for (const repo of f.created) {
    const start = START_STEPS[repo];
    if (start) next.push(`${repo}: ${start}`);
  }
  const vaultChanged = f.registry?.ok && f.registry.changed && f.kept.includes('puruto-data');
  if (vaultChanged && fs.existsSync(path.join(o.dir, 'puruto-data', '.git'))) {
    next.push(
      'puruto-data: registry.json gained entries; commit them: git -C puruto-data add -A && git -C puruto-data ' +
        'commit -m "Register the ecosystem repos"',
    );
  }
  const missing = ECOSYSTEM.filter((k) => !f.created.includes(k.name) && !f.kept.includes(k.name)).map(
    (k) => `--${k.key}`,
  );
  if (missing.length) next.push(`more kinds later: puruto init ${rel} ${missing.join(' ')}`);
  next.push('a domain Puruto: puruto new puruto-<name> --description "..." --destination ./puruto-<name>');
  lines.push('', 'Next steps:', ...next.map((s) => `  ${s}`));
  return lines.join('\n');
}
