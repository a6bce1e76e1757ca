/**
 * The standard versions upgrade knows, in order. A missing or empty version file means
 * `0.0.0` (a legacy repo from before the file existed; SPEC §5).
 */
import { STANDARD_VERSION, VERSION_CHAIN, type Version } from '../standard/version.js';

export type { Version } from '../standard/version.js';
export const KNOWN_VERSIONS = VERSION_CHAIN;

export const LATEST: Version = STANDARD_VERSION;

/** A version string as written in `.puruto-standard-version` (first line, trimmed). */
export function versionFromFile(text: string | undefined): string {
  const first = (text ?? '').split(/\r?\n/)[0]!.trim();
  return first === '' ? '0.0.0' : first;
}

export function isKnownVersion(v: string): v is Version {
  return (KNOWN_VERSIONS as readonly string[]).includes(v);
}

/** Looks like a version at all (`1.2.3`): otherwise `--target-version` is an argument error. */
export function isVersionShaped(v: string): boolean {
  return /^\d+\.\d+\.\d+$/.test(v);
}

/** The chain of single steps from `from` to `to`, or why there is none. */
export function pathBetween(
  from: string,
  to: string,
): { ok: true; steps: { from: Version; to: Version }[] } | { ok: false; why: string } {
  if (!isKnownVersion(from)) {
    return {
      ok: false,
      why: `its standard version ${JSON.stringify(from)} is not one upgrade knows (${KNOWN_VERSIONS.join(', ')})`,
    };
  }
  if (!isKnownVersion(to)) {
    return { ok: false, why: `the target version ${to} is not one upgrade knows (${KNOWN_VERSIONS.join(', ')})` };
  }
  const a = KNOWN_VERSIONS.indexOf(from);
  const b = KNOWN_VERSIONS.indexOf(to);
  if (b < a) return { ok: false, why: `it is at ${from}, newer than the target ${to}: downgrades are not supported` };
  const steps = [];
  for (let i = a; i < b; i++) steps.push({ from: KNOWN_VERSIONS[i]!, to: KNOWN_VERSIONS[i + 1]! });
  return { ok: true, steps };
}
