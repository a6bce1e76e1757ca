import { readFileSync } from 'node:fs';

/**
 * The one pin file (pins.json at the package root): the Python requirements of every kind,
 * the Python tools of our own tests (exact versions) and the agent CLIs of the test tier.
 * Generated requirements*.txt are rendered from it; scripts/python-sets.mjs derives the test
 * venvs' requirement sets (latest, floor, dev) from it.
 */
interface Pins {
  python: Record<string, string>;
  pythonDev: Record<string, string>;
  agents: Record<string, string>;
}

let cached: Pins | undefined;

export function pins(): Pins {
  // dist/generators/shared/pins.js and generators/shared/pins.ts both sit two folders
  // below the folder holding pins.json (the build copies it to dist/).
  cached ??= JSON.parse(readFileSync(new URL('../../pins.json', import.meta.url), 'utf8')) as Pins;
  return cached;
}

/** `name<spec>` lines of `packages`, in the order given; an unpinned name is a bug. */
export function requirementLines(packages: readonly string[]): string[] {
  const python = pins().python;
  return packages.map((p) => {
    const spec = python[p];
    if (spec === undefined) throw new Error(`pins.json has no Python pin for ${p}`);
    return `${p}${spec}`;
  });
}

/**
 * requirements-dev.txt of a kind whose runtime has a requirements.txt: what its tests need on
 * top of it (`-r requirements.txt`), with `notes` after the common first comment line.
 */
export function devRequirementsText(packages: readonly string[], notes: readonly string[] = []): string {
  return requirementsText(
    [
      'What `python3 -m pytest tests` needs besides requirements.txt (in .venv: .venv/bin/pip install -r ' +
        'requirements-dev.txt).',
      ...notes,
    ],
    packages,
    'requirements.txt',
  );
}

/** A requirements file: comment lines, then optional `-r` includes, then the pinned packages. */
export function requirementsText(comment: readonly string[], packages: readonly string[], include?: string): string {
  return (
    [...comment.map((c) => `# ${c}`), ...(include ? [`-r ${include}`] : []), ...requirementLines(packages)].join('\n') +
    '\n'
  );
}
