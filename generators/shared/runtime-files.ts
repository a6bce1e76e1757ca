import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlannedFile } from './spec.js';

/**
 * The runtime package every generated repo with Python entry points vendors: python/puruto_runtime
 * of this project (copied to dist/python by the build), copied as it is into `<repo>/puruto_runtime/`.
 * The file list is the folder itself: nothing here names a module.
 */
export const RUNTIME_PACKAGE = 'puruto_runtime';

/** python/ of this project (dist/python once built): the package and its tests. */
export const PYTHON_PROJECT = fileURLToPath(new URL('../../python/', import.meta.url));

export const RUNTIME_DIR = path.join(PYTHON_PROJECT, RUNTIME_PACKAGE);

/** A test of the package's own suite that generated repos ship too (python/tests/<name>). */
export function runtimeTest(name: string): string {
  return path.join(PYTHON_PROJECT, 'tests', name);
}

/** Whether a file of the package folder is part of it (not bytecode a Python run left there). */
function shipped(rel: string): boolean {
  return !rel.split('/').includes('__pycache__') && !rel.endsWith('.pyc');
}

/** Relative posix paths of the package's files, sorted. */
export function runtimeModules(dir: string = RUNTIME_DIR): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter(shipped)
    .sort();
}

/** The package as planned files: `puruto_runtime/<file>` for each of its files. */
export function runtimeFiles(): PlannedFile[] {
  return runtimeModules().map((rel) => ({ dest: `${RUNTIME_PACKAGE}/${rel}`, copy: path.join(RUNTIME_DIR, rel) }));
}
