import type { PlannedFile } from './spec.js';
import { sharedTemplate } from './templates-path.js';

/**
 * The checkers' configs of a repo's Python, found by each tool in the repo's root (hidden,
 * like git's): ruff (lint + format), mypy --strict and vermin (the Python 3.10 floor).
 * `scripts` are Python files without the .py suffix (`run`); the context's `lintExclude`
 * names folders that hold data, not code (the vault's).
 */
export function pythonLintFiles(context: Record<string, unknown>, scripts: readonly string[]): PlannedFile[] {
  const ctx = { ...context, lintScripts: scripts };
  return [
    { dest: '.ruff.toml', template: sharedTemplate('ruff.toml.ejs'), context: ctx },
    { dest: '.mypy.ini', template: sharedTemplate('mypy.ini.ejs'), context: ctx },
    { dest: '.vermin', template: sharedTemplate('vermin.ejs'), context: ctx },
  ];
}
