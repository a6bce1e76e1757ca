/** Python: a python3 >= 3.10 on PATH; per repo, the interpreter ./run uses and its imports. */
import fs from 'node:fs';
import path from 'node:path';
import { INIT, lines, type RepoCtx } from './context.js';
import type { Check, Probes } from './types.js';

/** requirements.txt names → the module each one installs. */
const MODULES: Record<string, string> = {
  'python-telegram-bot': 'telegram',
  'python-dotenv': 'dotenv',
  pyyaml: 'yaml',
  croniter: 'croniter',
  fastapi: 'fastapi',
  uvicorn: 'uvicorn',
  httpx: 'httpx',
};

export function systemPython(probes: Probes): string {
  return probes.env['PURUTO_PYTHON'] || 'python3';
}

export function machinePython(probes: Probes, cwd: string): Check[] {
  const l = lines('python', null);
  const py = systemPython(probes);
  const r = probes.run(py, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { cwd, timeoutMs: 15_000 });
  const version = r.code === 0 ? r.stdout.trim() : undefined;
  if (!version)
    l.add(
      'error',
      'python.missing',
      `${py} does not start (${(r.stderr.trim().split('\n').pop() || 'not found on PATH').slice(0, 200)})`,
      'install Python 3.10 or newer (e.g. sudo apt install python3), or set PURUTO_PYTHON to one',
    );
  else {
    const [maj, min] = version.split('.').map(Number) as [number, number];
    if (maj < 3 || (maj === 3 && min < 10))
      l.add(
        'error',
        'python.old',
        `${py} is Python ${version}; the runtimes need 3.10 or newer`,
        'install Python 3.10 or newer, or set PURUTO_PYTHON to one',
      );
    else l.add('ok', 'python.version', `${py} is Python ${version}`);
  }
  return l.out;
}

function requiredModules(dir: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8');
  } catch {
    return [];
  }
  const names = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((l) => /^([A-Za-z0-9_.-]+)/.exec(l)?.[1]?.toLowerCase() ?? '')
    .filter(Boolean);
  return [...new Set(names.map((n) => MODULES[n] ?? n.replace(/-/g, '_')))];
}

export function repoPython(repo: RepoCtx, probes: Probes): Check[] {
  const l = lines('python', repo.name);
  const venvPy = path.join(repo.dir, '.venv', 'bin', 'python');
  let python = systemPython(probes);
  let where = `the system Python (${python})`;
  if (repo.has('.venv/.puruto-complete') && fs.existsSync(venvPy)) {
    python = venvPy;
    where = '.venv';
  } else if (repo.has('.venv')) {
    l.add(
      'warn',
      'python.venv-unfinished',
      '.venv exists but /init did not finish it (no .venv/.puruto-complete): ' +
        './run ignores it and uses the system Python',
      repo.inRepo(`rm -rf .venv && ${INIT}`),
    );
  }
  const modules = requiredModules(repo.dir);
  if (modules.length === 0) {
    l.add('ok', 'python.interpreter', `runs with ${where}; no requirements`);
    return l.out;
  }
  const code =
    'import importlib.util, json, sys; print(json.dumps([m for m in sys.argv[1:] if ' +
    'importlib.util.find_spec(m) is None]))';
  const r = probes.run(python, ['-c', code, ...modules], { cwd: repo.dir, timeoutMs: 30_000 });
  let missing: string[] = modules;
  try {
    if (r.code === 0) missing = JSON.parse(r.stdout) as string[];
  } catch {
    missing = modules;
  }
  if (missing.length) {
    l.add(
      'error',
      'python.imports',
      `${where} cannot import ${missing.join(', ')} (requirements.txt)`,
      repo.inRepo(where === '.venv' ? 'rm -rf .venv && ' + INIT : INIT),
    );
  } else l.add('ok', 'python.imports', `runs with ${where}; requirements import (${modules.join(', ')})`);
  return l.out;
}
