import { fileURLToPath } from 'node:url';
import type { PlannedFile } from '../shared/spec.js';
import { runtimeFiles } from '../shared/runtime-files.js';
import { schemaFiles } from '../shared/schema-files.js';

/**
 * The ecosystem's one invoker.py (this add-on's template): puruto-cron, puruto-gateway
 * and puruto-telegram ship it as is, never a copy of their own.
 */
export const INVOKER_TEMPLATE = fileURLToPath(new URL('./templates/invoker.py', import.meta.url));

/** The `.puruto-ipc.json` defaults of SPEC §6: deny-by-default. */
export function ipcConfig(owner: string): Record<string, unknown> {
  return { enabled: true, owner, max_hops: 2, default_timeout_sec: 120, allowed_targets: [], allowed_actions: {} };
}

/** Which files `puruto:ipc` adds (templates of generators/ipc); `puruto upgrade` reuses it. */
export function ipcFiles(owner: string): PlannedFile[] {
  const context = { name: owner };
  return [
    { dest: '.puruto-ipc.json', json: ipcConfig(owner) },
    { dest: '.claude/skills/call/SKILL.md', template: 'call/SKILL.md.ejs', context },
    { dest: 'ipc.py', copy: 'ipc.py' },
    { dest: 'invoker.py', copy: 'invoker.py' },
    // ipc.py checks .puruto-ipc.json with the validator's schema.
    ...schemaFiles(['ipc'], false),
    // Run alone on a repo made before the package existed, or by `puruto upgrade`: the invoker's code.
    ...runtimeFiles(),
  ];
}
