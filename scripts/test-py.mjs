// `npm run test:py`: the Python project of the runtime package (python/) checked as its own
// maintainers would, with the dev venv (.deps/venv/dev, made by scripts/setup.sh): pytest,
// mypy --strict, ruff check, ruff format --check and the 3.10 floor (vermin), over the
// package, its tests and the thin entry points the generator ships beside it
// (invoker.py, json_schema.py). Stops at the first step that fails, naming it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const project = path.join(root, 'python');
const python = process.env['PURUTO_DEV_PYTHON'] ?? path.join(root, '.deps', 'venv', 'dev', 'bin', 'python');
if (!existsSync(python)) {
  console.error(`test:py: ${python} is missing: run scripts/setup.sh (it builds .deps/venv/dev)`);
  process.exit(1);
}
const entries = ['generators/ipc/templates/invoker.py', 'generators/shared/templates/json_schema.py'].map((f) =>
  path.join(root, f),
);
const config = ['--config', path.join(project, 'pyproject.toml')];
// vermin is a script of the venv (its package has no __main__).
const vermin = path.join(path.dirname(python), 'vermin');

const STEPS = [
  ['pytest', ['-m', 'pytest', '-q']],
  ['mypy --strict', ['-m', 'mypy']],
  ['mypy --strict (entry points)', ['-m', 'mypy', '--strict', ...entries], { MYPYPATH: project }],
  ['ruff check', ['-m', 'ruff', 'check', '.', ...entries, ...config]],
  ['ruff format --check', ['-m', 'ruff', 'format', '--check', '.', ...entries, ...config]],
  [
    'vermin (Python 3.10+)',
    ['--no-tips', '-t=3.10-', '--violations', 'puruto_runtime', 'tests', ...entries],
    {},
    vermin,
  ],
];

for (const [name, args, env, command = python] of STEPS) {
  console.log(`test:py: ${name}`);
  const r = spawnSync(command, args, { cwd: project, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`test:py: ${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}
console.log('test:py: all clean');
