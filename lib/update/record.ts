/**
 * What a repo's rendering is made from: kind, standard version, the generator version
 * that made it and the answers, as `.yo-rc.json` records them; for a repo without one
 * (older generators, hand-made), the answers `puruto upgrade` derives from its files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KindName } from '../standard/kinds.js';
import { STANDARD_VERSION, VERSION_FILE } from '../standard/version.js';
import { generatorSection, YO_RC_FILE } from '../validate/kind.js';
import { Draft } from '../upgrade/draft.js';
import { repoFacts } from '../upgrade/facts.js';
import { versionFromFile } from '../upgrade/versions.js';

export interface Recorded {
  kind: KindName;
  standardVersion: string;
  /** null when .yo-rc.json does not say (made before generatorVersion was recorded). */
  generatorVersion: string | null;
  answers: Record<string, unknown>;
  /** Whether the answers come from .yo-rc.json (else derived from the files). */
  fromYoRc: boolean;
}

export function readRecord(root: string): Recorded {
  const draft = new Draft(root);
  const facts = repoFacts(draft);
  const section = generatorSection(draft.read(YO_RC_FILE) ?? '');
  const recordedVersion = section?.['standardVersion'];
  const gen = section?.['generatorVersion'];
  let fileVersion: string | undefined;
  try {
    fileVersion = fs.readFileSync(path.join(root, VERSION_FILE), 'utf8');
  } catch {
    fileVersion = undefined;
  }
  return {
    kind: facts.kind,
    standardVersion:
      typeof recordedVersion === 'string'
        ? recordedVersion
        : fileVersion === undefined
          ? STANDARD_VERSION
          : versionFromFile(fileVersion),
    generatorVersion: typeof gen === 'string' ? gen : null,
    answers: facts.recorded ? (section!['answers'] as Record<string, unknown>) : facts.answers,
    fromYoRc: facts.recorded,
  };
}
