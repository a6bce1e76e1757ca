/**
 * The IPC runtime (ipc.py + invoker.py, standard library only) on each dependency set's
 * Python: a call answered, refused, not found and timed out through real processes, the
 * agent itself run by that venv's Python. The whole IPC tier (ipc.test.ts and its
 * neighbours) runs on the default Python; this keeps each set's interpreter honest too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/generators.js';
import { FAKE_AGENT, alive, allow, cleanEnv, ipcRepo, type IpcAnswer } from '../helpers/ipc.js';
import { PY_SETS } from '../helpers/python.js';

for (const { name, python } of PY_SETS) {
  describe(`IPC runtime [${name}]: ipc.py and invoker.py on ${name}'s Python`, () => {
    let parent = '';
    let a = '';
    before(async () => {
      parent = tempDir('puruto-ipc-sets-');
      a = await ipcRepo('puruto-a', parent);
      await ipcRepo('puruto-b', parent);
      allow(a, { 'puruto-b': ['summarize'], 'puruto-ghost': ['summarize'] });
    });
    after(() => rmSync(parent, { recursive: true, force: true }));

    /** `<set python> ipc.py --target T --action A --prompt P` in repo A: exit code and JSON. */
    function call(target: string, action: string, env: Record<string, string>, more: string[] = []) {
      const r = spawnSync(python, ['ipc.py', '--target', target, '--action', action, '--prompt', 'x', ...more], {
        cwd: a,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.ok(!r.error, `${python}: ${r.error?.message} (run scripts/setup.sh)`);
      return { status: r.status, json: JSON.parse(r.stdout) as IpcAnswer, out: r.stdout + r.stderr };
    }
    const code = (r: { json: IpcAnswer }) => r.json.response['error']?.code as string | undefined;

    it('ok through the stub agent; DENIED; TARGET_NOT_FOUND (exit 0, 1, 1)', () => {
      const stub = cleanEnv({ PURUTO_AGENT: 'stub' });
      const ok = call('puruto-b', 'summarize', stub);
      assert.equal(ok.status, 0, ok.out);
      assert.equal(ok.json.response['status'], 'ok');
      assert.equal(ok.json.response['result'].stub, true);
      const denied = call('puruto-b', 'rm', stub);
      assert.deepEqual([denied.status, code(denied)], [1, 'DENIED'], denied.out);
      const ghost = call('puruto-ghost', 'summarize', stub);
      assert.deepEqual([ghost.status, code(ghost)], [1, 'TARGET_NOT_FOUND'], ghost.out);
    });

    it('TIMEOUT kills a command agent run by this Python, and the process it started', () => {
      const pidFile = path.join(tempDir(), 'grandchild.pid');
      const env = cleanEnv({
        PURUTO_AGENT: 'command',
        PURUTO_AGENT_COMMAND: `${python} ${FAKE_AGENT} plain {prompt}`,
        FAKE_AGENT_MODE: 'sleep',
        FAKE_AGENT_PIDFILE: pidFile,
      });
      const r = call('puruto-b', 'summarize', env, ['--timeout', '1']);
      assert.deepEqual([r.status, code(r)], [1, 'TIMEOUT'], r.out);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      assert.ok(pid > 0);
      assert.equal(alive(pid), false, `grandchild ${pid} survived the timeout`);
    });
  });
}
