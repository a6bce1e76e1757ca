/**
 * One pin file: every requirement a generated repo lists comes from pins.json, and the
 * agent CLIs the test tier installs are its "agents".
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pins, requirementLines, requirementsText } from '../../generators/shared/pins.js';
import { generateRepo, ROOT } from '../helpers/generators.js';
// @ts-expect-error -- a plain .mjs script (scripts/ is not type-checked); its two functions are tested here
import { floorOf, requirementSet } from '../../scripts/python-sets.mjs';

type SetOf = (pins: unknown, set: string) => string[];

describe('pins.json, the one pin file', () => {
  it('renders requirement lines from the pins and refuses an unpinned package', () => {
    assert.deepEqual(requirementLines(['pytest']), [`pytest${pins().python['pytest']}`]);
    assert.throws(() => requirementLines(['left-pad']), /no Python pin for left-pad/);
    assert.equal(
      requirementsText(['x'], ['pytest'], 'requirements.txt'),
      `# x\n-r requirements.txt\npytest${pins().python['pytest']}\n`,
    );
  });

  it("every kind's requirements*.txt lines are exactly pins.json's", async () => {
    const repos = [
      await generateRepo('cron', { yes: true }, {}, 'puruto-cron'),
      await generateRepo('gateway', { yes: true }, {}, 'puruto-gateway'),
      await generateRepo('data', { yes: true }, {}, 'puruto-data'),
      await generateRepo('telegram', { yes: true }, {}, 'puruto-telegram'),
      await generateRepo('app', { name: 'puruto-notes', description: 'x', yes: true, 'agent-tests': true }),
    ];
    let seen = 0;
    for (const dir of repos) {
      for (const file of ['requirements.txt', 'requirements-dev.txt']) {
        let text: string;
        try {
          text = readFileSync(path.join(dir, file), 'utf8');
        } catch {
          continue;
        }
        for (const line of text.split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('-r '))) {
          const name = /^[A-Za-z0-9._-]+/.exec(line)![0];
          assert.equal(line, `${name}${pins().python[name]}`, `${path.basename(dir)}/${file}: ${line}`);
          seen += 1;
        }
      }
    }
    assert.ok(seen >= 10, `${seen} requirement lines checked`);
  });

  it('the test venvs\' requirement sets come from the pins: latest as written, floor at each ">=", dev exact', () => {
    const set = requirementSet as SetOf;
    const p = pins();
    const names = Object.keys(p.python);
    assert.deepEqual(
      set(p, 'latest'),
      names.map((n) => `${n}${p.python[n]}`),
    );
    const floor = set(p, 'floor');
    assert.deepEqual(
      floor.map((l) => l.split('==')[0]),
      names,
    );
    for (const line of floor) assert.match(line, /^[\w.-]+==\d+(\.\d+)*$/, line);
    assert.equal((floorOf as (n: string, s: string) => string)('croniter', '>=1.3,<8'), 'croniter==1.3');
    assert.equal((floorOf as (n: string, s: string) => string)('x', '<2, >= 1.0.1'), 'x==1.0.1');
    assert.throws(() => (floorOf as (n: string, s: string) => string)('x', '<2'), /x<2 has no ">=" floor/);
    const dev = set(p, 'dev');
    assert.deepEqual(
      dev.slice(0, Object.keys(p.pythonDev).length),
      Object.entries(p.pythonDev).map(([n, v]) => `${n}==${v}`),
    );
    assert.deepEqual(dev.slice(Object.keys(p.pythonDev).length), set(p, 'latest'));
    for (const v of Object.values(p.pythonDev)) assert.match(v, /^\d+(\.\d+)*$/, 'exact versions');
    assert.throws(() => set(p, 'newest'), /unknown set "newest"/);
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'python-sets.mjs'), 'floor'], {
      encoding: 'utf8',
    });
    assert.equal(cli.stdout, `${floor.join('\n')}\n`, cli.stderr);
    const setup = readFileSync(path.join(ROOT, 'scripts', 'setup.sh'), 'utf8');
    assert.match(setup, /for set in latest floor dev; do build_venv "\$set"; done/);
    assert.match(setup, /node scripts\/python-sets\.mjs "\$set"/);
  });

  it('setup.sh installs the agent CLIs pinned in pins.json', () => {
    const setup = readFileSync(path.join(ROOT, 'scripts', 'setup.sh'), 'utf8');
    assert.match(setup, /require\("\.\/pins\.json"\).*p\.agents/);
    for (const version of Object.values(pins().agents)) assert.match(version, /^\d+\.\d+\.\d+$/, 'exact versions');
  });
});
