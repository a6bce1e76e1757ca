/**
 * One pin file: every requirement a generated repo lists comes from pins.json, and the
 * agent CLIs the test tier installs are its "agents".
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pins, requirementLines, requirementsText } from '../../generators/shared/pins.js';
import { generateRepo, ROOT } from '../helpers/generators.js';

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

  it('setup.sh installs the agent CLIs pinned in pins.json', () => {
    const setup = readFileSync(path.join(ROOT, 'scripts', 'setup.sh'), 'utf8');
    assert.match(setup, /require\("\.\/pins\.json"\).*p\.agents/);
    for (const version of Object.values(pins().agents)) assert.match(version, /^\d+\.\d+\.\d+$/, 'exact versions');
  });
});
