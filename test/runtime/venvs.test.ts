/**
 * The venvs the runtime tiers run on hold what pins.json says (scripts/setup.sh builds them
 * from scripts/python-sets.mjs): the floor venv has every "python" package at exactly its
 * floor, the latest venv versions inside every range, the dev venv the "pythonDev" tools at
 * their exact versions. A stale venv (pins.json changed, setup.sh not run again) fails here.
 */
import assert from 'node:assert/strict';
import { pins } from '../../generators/shared/pins.js';
import { PY_DEV, PY_SETS, py } from '../helpers/python.js';

/** For each name: its installed version and whether `spec` holds (pip's own packaging decides). */
const CHECK = [
  'import json, sys, importlib.metadata as m',
  'from pip._vendor.packaging.specifiers import SpecifierSet',
  'from pip._vendor.packaging.version import Version',
  'out = {}',
  'for name, spec in json.loads(sys.argv[1]).items():',
  '    try:',
  '        v = m.version(name)',
  '    except m.PackageNotFoundError:',
  '        out[name] = [None, False]',
  '        continue',
  '    out[name] = [v, SpecifierSet(spec).contains(Version(v), prereleases=True)]',
  'print(json.dumps(out))',
].join('\n');

function installed(python: string, specs: Record<string, string>): Record<string, [string | null, boolean]> {
  const r = py(['-c', CHECK, JSON.stringify(specs)], process.cwd(), {}, python);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, [string | null, boolean]>;
}

describe('the test venvs hold the dependency sets of pins.json', () => {
  const python = pins().python;
  for (const { name, python: exe } of PY_SETS) {
    const where = name === 'floor' ? 'at its floor' : 'within its range';
    it(`[${name}] every "python" package is installed ${where}`, () => {
      const specs = Object.fromEntries(
        Object.entries(python).map(([pkg, spec]) => {
          if (name === 'latest') return [pkg, spec];
          const floor = /(?:^|,)\s*>=\s*([^,\s]+)/.exec(spec)?.[1];
          assert.ok(floor, `${pkg}${spec} has no floor`);
          return [pkg, `==${floor}`];
        }),
      );
      const got = installed(exe, specs);
      const wrong = Object.entries(got).filter(([, [, ok]]) => !ok);
      assert.deepEqual(wrong, [], `${exe} (run scripts/setup.sh): ${JSON.stringify(got)}`);
    });
  }

  it('[dev] the pythonDev tools at their exact versions, the runtime packages within their ranges', () => {
    const specs = {
      ...python,
      ...Object.fromEntries(Object.entries(pins().pythonDev).map(([pkg, v]) => [pkg, `==${v}`])),
    };
    const got = installed(PY_DEV, specs);
    const wrong = Object.entries(got).filter(([, [, ok]]) => !ok);
    assert.deepEqual(wrong, [], `${PY_DEV} (run scripts/setup.sh): ${JSON.stringify(got)}`);
  });
});
