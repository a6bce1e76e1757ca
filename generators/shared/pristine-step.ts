/**
 * The git step of a generation (`puruto new`, `yo puruto`, `puruto init`): the repo
 * becomes a git repo whose first commit is this generator's rendering, also kept at
 * refs/puruto/pristine for `puruto update`. Returns the line to print.
 */
import path from 'node:path';
import { FALLBACK_IDENTITY, type FirstCommit } from '../../lib/git-init.js';
import type { KindName } from '../../lib/standard/kinds.js';
import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { generatorVersion } from '../../lib/package-version.js';
import { readRecord } from '../../lib/update/record.js';
import { initWithPristine } from '../../lib/update/pristine.js';
import { PRISTINE_REF } from '../../lib/update/tree.js';
import { renderRepo } from './rendering.js';

/** Commits a freshly generated repo with its pristine base. */
export function commitGenerated(
  dir: string,
  kind: KindName,
  answers: Record<string, unknown>,
  how = 'puruto new',
): FirstCommit {
  const version = generatorVersion();
  const files = renderRepo({ kind, standardVersion: STANDARD_VERSION, generatorVersion: version, answers });
  const name = path.basename(dir);
  const body =
    `\n\nThe files generator-puruto ${version} writes for these answers, also kept at ` +
    `refs/puruto/pristine: \`puruto update\` merges later versions from there.`;
  return initWithPristine(
    dir,
    files,
    `Create ${name} (generator-puruto: ${how})${body}`,
    `Wire ${name} to its siblings (generator-puruto: ${how})`,
  );
}

/** The same for a repo on disk whose answers are in its .yo-rc.json (puruto init's repos). */
export function commitRecorded(dir: string, how: string): FirstCommit {
  const r = readRecord(dir);
  return commitGenerated(dir, r.kind, r.answers, how);
}

export function describeCommit(c: FirstCommit): string {
  if (c.status === 'committed') {
    const who =
      c.identity === 'fallback'
        ? ` by "${FALLBACK_IDENTITY.name} <${FALLBACK_IDENTITY.email}>" (no git identity is configured; nothing was ` +
          `written to your git config)`
        : '';
    const where = `the generated files are kept at ${PRISTINE_REF} for \`puruto update\``;
    return `Git: first commit ${c.commit}${who}; ${where}.`;
  }
  if (c.status === 'skipped') return `Git: not committed (${c.reason}).`;
  return (
    `Git: not committed (${c.message}); the files are in place: run git init && git add -A && git commit ` +
    `yourself, then \`puruto update --adopt\`.`
  );
}

export function recordPristine(dir: string, kind: KindName, answers: Record<string, unknown>): string {
  return describeCommit(commitGenerated(dir, kind, answers));
}
