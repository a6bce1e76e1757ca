import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, tempDir } from '../helpers/generators.js';
import { generateGateway, siblingPuruto, startGateway, type GatewayServer } from '../helpers/gateway-server.js';

/**
 * schemathesis (PyPI, in the dev venv scripts/setup.sh builds) fuzzes the live gateway from its own
 * /openapi.json: every operation, every check (`--checks all`: no server error, status codes, content
 * types, headers and bodies as documented, negative data refused, auth not ignored, ...), with the
 * key, without it, and on a gateway whose key is still the placeholder (503). Bounded: a fixed number
 * of examples per operation, a fixed seed, and a time limit after which the run is stopped and fails.
 */
const SCHEMATHESIS = process.env['PURUTO_TEST_SCHEMATHESIS'] ?? path.join(ROOT, '.deps', 'venv', 'dev', 'bin', 'st');
const KEY = 'schemathesis-key-5d0b7e';
const MAX_EXAMPLES = 100;
const SEED = 20261208;
const TIME_LIMIT_MS = 300_000;
const CORE = ['init', 'help', 'list', 'status'];
/** What uvicorn logs when the app raised (a request uvicorn itself refuses as invalid HTTP is not the app's). */
const APP_FAILURE = /Exception in ASGI application/;

interface Report {
  exit_code: number;
  complete: boolean;
  operations: { total: number; tested: number; errored: number };
  test_cases: { generated: number; with_failures: number; errored: number };
  failures: unknown[];
  errors: unknown[];
  warnings: { missing_auth: string[] };
}

interface Run {
  code: number | null;
  output: string;
  summary: string;
  report: Report;
}

/** One bounded `st run` against base (all checks but `excluded`); prints its summary; the JSON report it wrote. */
async function schemathesis(base: string, headers: string[], excluded: string[] = []): Promise<Run> {
  const reports = tempDir('puruto-schemathesis-');
  const args = ['run', `${base}/openapi.json`, ...headers.flatMap((h) => ['-H', h])];
  if (excluded.length) args.push('--exclude-checks', excluded.join(','));
  args.push('--checks', 'all', '--max-examples', String(MAX_EXAMPLES), '--seed', String(SEED), '--workers', '1');
  args.push('--generation-database', 'none', '--request-timeout', '60', '--no-color');
  args.push('--report', 'json', '--report-dir', reports);
  const child = spawn(SCHEMATHESIS, args, { cwd: reports, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, TIME_LIMIT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  assert.equal(timedOut, false, `schemathesis did not finish within ${TIME_LIMIT_MS / 1000} s:\n${output}`);
  const summary = output
    .split('\n')
    .filter((l) => /\d+ generated|={3,} .* in [\d.]+s =+/.test(l))
    .map((l) => l.trim())
    .join(' | ');
  console.log(`      schemathesis ${headers.length ? `with ${headers.join(', ')}` : 'without a key'}: ${summary}`);
  const file = readdirSync(reports).find((f) => f.endsWith('.json'));
  assert.ok(file, `schemathesis wrote no JSON report (exit ${code}):\n${output}`);
  return { code, output, summary, report: JSON.parse(readFileSync(path.join(reports, file), 'utf8')) as Report };
}

/** The run found nothing: no failure, no error, every operation tested. */
function clean(run: Run): void {
  const { report } = run;
  assert.deepEqual(report.failures, [], run.output);
  assert.deepEqual(report.errors, [], run.output);
  assert.equal(report.test_cases.with_failures, 0, run.output);
  assert.equal(report.test_cases.errored, 0, run.output);
  assert.equal(report.complete, true, run.output);
  assert.deepEqual([report.operations.total, report.operations.tested, report.operations.errored], [4, 4, 0]);
  assert.ok(report.test_cases.generated >= 4 * MAX_EXAMPLES, run.summary);
  assert.equal(run.code, 0, run.output);
  assert.equal(report.exit_code, 0, run.output);
}

/** How many times the access log shows `method path-prefix ... status`. */
function answered(log: string, method: string, prefix: string, status: number): number {
  const line = new RegExp(`"${method} ${prefix}[^"]* HTTP/1\\.1" ${status}\\b`, 'g');
  return (log.match(line) ?? []).length;
}

describe('generated puruto-gateway under schemathesis (live uvicorn, its own /openapi.json)', function () {
  this.timeout(3 * TIME_LIMIT_MS);
  let dir = '';
  let server: GatewayServer | undefined;

  before(async function () {
    assert.ok(existsSync(SCHEMATHESIS), `no schemathesis at ${SCHEMATHESIS}: run scripts/setup.sh (dev venv)`);
    dir = await generateGateway();
    siblingPuruto(dir, 'puruto-data', CORE); // the name in the OpenAPI examples
    siblingPuruto(dir, 'puruto-notes', CORE);
    server = await startGateway(dir, { PURUTO_GATEWAY_API_KEY: KEY, PURUTO_AGENT: 'stub', PURUTO_DATA_PATH: '' });
  });

  after(async () => {
    await server?.stop();
  });

  it('with the key: every operation reached, real invocations run, 0 server errors, 0 schema violations', async () => {
    const run = await schemathesis(server!.base, [`X-API-Key: ${KEY}`]);
    clean(run);
    assert.deepEqual(run.report.warnings.missing_auth, [], 'the key was accepted');
    const log = server!.log();
    assert.equal(answered(log, '[A-Z]+', '/', 500), 0, 'no 500 in the access log');
    assert.doesNotMatch(log, APP_FAILURE);
    for (const [method, prefix] of [
      ['GET', '/health'],
      ['GET', '/purutos'],
      ['GET', '/purutos/puruto-'],
      ['POST', '/purutos/puruto-'],
    ] as const)
      assert.ok(answered(log, method, prefix, 200) > 0, `${method} ${prefix} answered 200 at least once`);
    assert.ok(answered(log, 'POST', '/purutos/', 400) > 0, 'bad bodies and commands were tried');
  });

  it('without a key: 401 on the protected routes, 0 server errors, 0 schema violations', async () => {
    const run = await schemathesis(server!.base, []);
    clean(run);
    assert.deepEqual(run.report.warnings.missing_auth.sort(), [
      'GET /purutos',
      'GET /purutos/{name}',
      'POST /purutos/{name}/{command}',
    ]);
    assert.doesNotMatch(server!.log(), APP_FAILURE);
  });

  it('a gateway with the placeholder key: the documented 503 on protected routes, 0 schema violations', async () => {
    const placeholder = await startGateway(dir, {
      PURUTO_GATEWAY_API_KEY: 'changeme',
      PURUTO_AGENT: 'stub',
      PURUTO_DATA_PATH: '',
    });
    try {
      // 503 is this state's documented answer (SPEC §8), so the two checks that refuse any 5xx, or want a
      // 4xx when the header is missing, are left out here; every other check holds, the schemas included.
      const run = await schemathesis(
        placeholder.base,
        ['X-API-Key: changeme'],
        ['not_a_server_error', 'missing_required_header'],
      );
      clean(run);
      assert.ok(answered(placeholder.log(), 'GET', '/purutos', 503) > 0, 'the 503 answer was checked');
      assert.equal(answered(placeholder.log(), '[A-Z]+', '/', 500), 0, 'no 500 in the access log');
      assert.doesNotMatch(placeholder.log(), APP_FAILURE);
    } finally {
      await placeholder.stop();
    }
  });
});
