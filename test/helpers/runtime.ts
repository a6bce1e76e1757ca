import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { RUNTIME_PACKAGE, runtimeFiles, runtimeModules } from '../../generators/shared/runtime-files.js';

/** The files of the vendored runtime package as a generated repo has them (`puruto_runtime/...`), sorted. */
export const RUNTIME_DESTS = runtimeModules().map((m) => `${RUNTIME_PACKAGE}/${m}`);

/** Copies the vendored runtime package into `dir` as generation does (`<dir>/puruto_runtime/...`). */
export function vendorRuntime(dir: string): void {
  for (const file of runtimeFiles()) {
    if (!('copy' in file)) continue;
    mkdirSync(path.dirname(path.join(dir, file.dest)), { recursive: true });
    copyFileSync(file.copy, path.join(dir, file.dest));
  }
}
