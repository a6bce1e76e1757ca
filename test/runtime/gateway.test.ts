import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { PY_SETS, py } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';

/** Generates puruto-gateway into <tmp>/ws (HOME isolated) and returns its path. */
async function generate(): Promise<string> {
  const dest = path.join(tempDir('puruto-rt-gateway-'), 'ws', 'puruto-gateway');
  await withHome(tempDir(), async () => runGenerator('gateway', { options: { yes: true, destination: dest } }));
  return dest;
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const KEY = 'runtime-test-key-4f1c2a';

for (const { name, python } of PY_SETS) {
  describe(`generated puruto-gateway runtime [${name}]`, () => {
    let dir = '';
    before(async () => {
      dir = await generate();
    });

    it("the gateway's own pytest suite passes (TestClient)", () => {
      const r = py(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], dir, {}, python);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const passed = /(\d+) passed/.exec(r.stdout);
      assert.ok(passed && Number(passed[1]) >= 40, r.stdout);
      assert.doesNotMatch(r.stdout, /failed|error/i);
    });

    describe('the real uvicorn on 127.0.0.1, called over HTTP', () => {
      let server: ChildProcess | undefined;
      let base = '';
      let log = '';

      before(async function () {
        const skill = path.join(dir, '..', 'puruto-notes', '.claude', 'skills', 'status');
        mkdirSync(skill, { recursive: true }); // the invoker runs only a skill the target has
        writeFileSync(
          path.join(skill, 'SKILL.md'),
          '---\nname: status\ndescription: status\nuser-invocable: true\n---\n',
        );
        const port = await freePort();
        base = `http://127.0.0.1:${port}`;
        server = spawn(python, ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port)], {
          cwd: dir,
          env: { ...process.env, PURUTO_GATEWAY_API_KEY: KEY, PURUTO_AGENT: 'stub', PURUTO_DATA_PATH: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        server.stdout!.on('data', (d) => (log += d));
        server.stderr!.on('data', (d) => (log += d));
        const deadline = Date.now() + 30_000;
        for (;;) {
          if (server.exitCode !== null) throw new Error(`uvicorn exited (${server.exitCode}):\n${log}`);
          try {
            if ((await fetch(`${base}/health`)).ok) break;
          } catch {
            // not listening yet
          }
          if (Date.now() > deadline) throw new Error(`uvicorn did not start within 30 s:\n${log}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      });

      after(async () => {
        if (server && server.exitCode === null) {
          const exited = new Promise((r) => server!.once('exit', r));
          server.kill('SIGTERM');
          const t = setTimeout(() => server!.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(t);
        }
      });

      it('GET /health is 200 without a key', async () => {
        const r = await fetch(`${base}/health`);
        assert.equal(r.status, 200);
        assert.deepEqual(await r.json(), { status: 'ok', service: 'puruto-gateway' });
      });

      it('GET /purutos is 200 with the key and 401 without or with a wrong one', async () => {
        const ok = await fetch(`${base}/purutos`, { headers: { 'X-API-Key': KEY } });
        assert.equal(ok.status, 200);
        const body = (await ok.json()) as { status: string; count: number; items: { name: string; kind: string }[] };
        assert.equal(body.status, 'ok');
        assert.deepEqual(
          body.items.map((i) => [i.name, i.kind]),
          [['puruto-notes', 'standard']],
        );
        assert.equal(body.count, 1);
        assert.equal((await fetch(`${base}/purutos`)).status, 401);
        assert.equal((await fetch(`${base}/purutos`, { headers: { 'X-API-Key': 'wrong' } })).status, 401);
      });

      it('POST /purutos/{name}/{command} invokes through invoker.py (stub), 404/400/413 over HTTP', async () => {
        const headers = { 'X-API-Key': KEY, 'Content-Type': 'application/json' };
        const r = await fetch(`${base}/purutos/puruto-notes/status`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ prompt: 'hi' }),
        });
        assert.equal(r.status, 200);
        const body = (await r.json()) as { status: string; invocation: { status: string; result: { stub: boolean } } };
        assert.equal(body.status, 'accepted');
        assert.equal(body.invocation.status, 'ok');
        assert.equal(body.invocation.result.stub, true);
        assert.equal((await fetch(`${base}/purutos/puruto-nope/status`, { method: 'POST', headers })).status, 404);
        assert.equal((await fetch(`${base}/purutos/puruto-notes/rm`, { method: 'POST', headers })).status, 400);
        const big = await fetch(`${base}/purutos/puruto-notes/status`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ prompt: 'x'.repeat(70_000) }),
        });
        assert.equal(big.status, 413);
      });

      it('a chunked body over 64 KiB is 413 with Connection: close while the upload is still going on', async () => {
        const url = new URL(`${base}/purutos/puruto-notes/status`);
        // 128 KiB sent, the request never ended: the server must answer without waiting for the rest.
        const answer = await new Promise<{ status?: number; connection?: string }>((resolve, reject) => {
          const req = http.request({
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { 'X-API-Key': KEY, 'Transfer-Encoding': 'chunked' },
          });
          const timer = setTimeout(
            () => (req.destroy(), reject(new Error('no answer within 20 s: the server waited for the whole body'))),
            20_000,
          );
          req.on('response', (res) => {
            clearTimeout(timer);
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }));
          });
          req.on('error', (e) => (clearTimeout(timer), reject(e)));
          for (let i = 0; i < 8; i++) req.write(Buffer.alloc(16 * 1024, 0x20));
        });
        assert.equal(answer.status, 413);
        assert.equal(answer.connection, 'close');
        assert.equal((await fetch(`${base}/health`)).status, 200, 'the server still serves');
      });
    });
  });
}
