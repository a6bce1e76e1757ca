/**
 * A `.env` that is a FIFO (named pipe) used to stall `puruto doctor --online` for 150 s: the
 * invoker blocked in `open` before its timeout started. The runtime package reads `.env`
 * through safe_read (O_NONBLOCK, fstat, regular files only), so the invoker answers at once with
 * an IPC_ERROR naming the FIFO, and doctor shows it. Nothing here measures time: the mocha
 * timeout is the guard (a blocked open would outlive it).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateRepo, tempDir } from '../helpers/generators.js';
import { PYTHON } from '../helpers/python.js';
import { doctor } from '../../lib/doctor/index.js';
import { realProbes } from '../../lib/doctor/probes.js';
import { adapterFacts } from '../../generators/ipc/adapters.js';

describe('a .env that is a FIFO', function () {
  this.timeout(60_000);
  let repo = '';

  before(async () => {
    repo = await generateRepo('app', { yes: true, name: 'puruto-notes', description: 'Notes', ipc: true });
    // Last thing made in the folder, so nothing else in this test opens it by accident.
    execFileSync('mkfifo', [path.join(repo, '.env')]);
    assert.ok(fs.lstatSync(path.join(repo, '.env')).isFIFO());
  });

  it('invoker.py answers at once with an IPC_ERROR naming the FIFO', () => {
    const r = spawnSync(PYTHON, ['invoker.py', '--target', 'puruto-notes', '--action', 'status', '--prompt', 'p'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, PURUTO_AGENT: 'stub', PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 50_000,
    });
    assert.equal(r.status, 1, r.stderr);
    const result = JSON.parse(r.stdout) as { status: string; error: { code: string; message: string } };
    assert.equal(result.status, 'error');
    assert.equal(result.error.code, 'IPC_ERROR');
    assert.match(result.error.message, /\.env is a FIFO \(named pipe\), not a regular file: it is not read/);
  });

  it('puruto doctor --online reports it on the agents.online line', async () => {
    const out = await doctor({
      path: repo,
      online: true,
      adapters: adapterFacts(),
      probes: realProbes({
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: tempDir('puruto-fifo-home-'),
        PURUTO_AGENT: 'stub',
        PURUTO_PYTHON: PYTHON,
      }),
    });
    assert.ok(out.ok, out.ok ? '' : out.message);
    const online = out.report.checks.find((c) => c.id === 'agents.online');
    assert.ok(online, JSON.stringify(out.report.checks, null, 2));
    assert.equal(online.level, 'error');
    assert.match(online.message, /failed after \d+\.\d s: IPC_ERROR: .*\.env is a FIFO \(named pipe\)/);
  });
});
