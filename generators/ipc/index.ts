import { AddOnGenerator, type Merge } from '../shared/addon.js';
import type { PlannedFile } from '../shared/spec.js';

/** The `.puruto-ipc.json` defaults of SPEC §6: deny-by-default. */
export function ipcConfig(owner: string): Record<string, unknown> {
  return { enabled: true, owner, max_hops: 2, default_timeout_sec: 120, allowed_targets: [], allowed_actions: {} };
}

/** `yo puruto:ipc`: delegation between Purutos (/call, ipc.py, invoker.py). */
export default class IpcGenerator extends AddOnGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, { label: 'IPC', marker: '.puruto-ipc.json' });
  }

  protected addOnFlag(): string {
    return 'ipc';
  }

  protected plan(): PlannedFile[] {
    const context = { name: this.owner };
    return [
      { dest: '.puruto-ipc.json', json: ipcConfig(this.owner) },
      { dest: '.claude/skills/call/SKILL.md', template: 'call/SKILL.md.ejs', context },
      { dest: 'ipc.py', copy: 'ipc.py' },
      { dest: 'invoker.py', copy: 'invoker.py' },
    ];
  }

  protected merge(): Merge {
    return {
      readme: {
        heading: '## IPC (delegation to other Purutos)',
        body: [
          'This Puruto can delegate work to other Purutos with `/call <target> <action> "<prompt>"`,',
          'which runs `python3 ipc.py --target T --action A --prompt P`. Calls are denied by default:',
          'list allowed targets in `.puruto-ipc.json` (`allowed_targets`) and their actions',
          '(`allowed_actions`, e.g. `{"puruto-notes": ["summarize"]}`). `ipc.py` prints',
          '`{"request": ..., "response": ...}` and exits 0 when the response is ok, 1 when it is an error.',
          'The agent that runs the target is chosen with `PURUTO_AGENT` (see `.env.example`).',
        ].join('\n'),
      },
      env: [
        '# IPC: agent adapter used to run the target Puruto (claude, codex, gemini, command, stub).',
        '# Default: stub (deterministic echo, no agent run).',
        '# PURUTO_AGENT=stub',
      ].join('\n'),
    };
  }
}
