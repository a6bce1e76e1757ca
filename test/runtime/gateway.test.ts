import assert from 'node:assert/strict';
import http from 'node:http';
import { PY_SETS, py } from '../helpers/python.js';
import { generateGateway, siblingPuruto, startGateway, type GatewayServer } from '../helpers/gateway-server.js';

const KEY = 'runtime-test-key-4f1c2a';

for (const { name, python } of PY_SETS) {
  describe(`generated puruto-gateway runtime [${name}]`, () => {
    let dir = '';
    before(async () => {
      dir = await generateGateway();
    });

    it("the gateway's own pytest suite passes (TestClient)", () => {
      const r = py(['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], dir, {}, python);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const passed = /(\d+) passed/.exec(r.stdout);
      assert.ok(passed && Number(passed[1]) >= 40, r.stdout);
      assert.doesNotMatch(r.stdout, /failed|error/i);
    });

    describe('the real uvicorn on 127.0.0.1, called over HTTP', () => {
      let server: GatewayServer | undefined;
      let base = '';

      before(async () => {
        siblingPuruto(dir, 'puruto-notes', ['status']);
        server = await startGateway(
          dir,
          { PURUTO_GATEWAY_API_KEY: KEY, PURUTO_AGENT: 'stub', PURUTO_DATA_PATH: '' },
          python,
        );
        base = server.base;
      });

      after(async () => {
        await server?.stop();
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

      it('a body that is not UTF-8 (an encoded surrogate) is 400 with a clear detail, never a 500', async () => {
        const headers = { 'X-API-Key': KEY, 'Content-Type': 'application/json' };
        const bodies = [
          Buffer.concat([Buffer.from('{"prompt": "'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
          Buffer.from('{"prompt": "\\ud800"}'), // the same surrogate as a JSON escape
        ];
        for (const body of bodies) {
          const r = await fetch(`${base}/purutos/puruto-notes/status`, { method: 'POST', headers, body });
          assert.equal(r.status, 400, body.toString('latin1'));
          assert.equal(r.headers.get('content-type'), 'application/json');
          const detail = ((await r.json()) as { detail: string }).detail;
          assert.match(detail, /^request body is not valid UTF-8 JSON: /);
        }
        // No app exception and no traceback through the gateway's own files. (uvicorn 0.17, the floor,
        // logs a traceback of its own when a connection it cut for the 413 above is cancelled.)
        assert.doesNotMatch(server!.log(), /Exception in ASGI application|500 Internal/);
        assert.doesNotMatch(server!.log(), /File "[^"]*\/(app|auth|body|models|registry|routes|invoker)\.py"/);
        const emoji = await fetch(`${base}/purutos/puruto-notes/status`, {
          method: 'POST',
          headers,
          body: '{"prompt": "\\ud83d\\ude00"}', // a whole pair is a character
        });
        assert.equal(emoji.status, 200);
        assert.deepEqual(((await emoji.json()) as { payload: unknown }).payload, { prompt: '\u{1F600}' });
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
