import { AddOnGenerator, type Merge } from '../shared/addon.js';
import type { PlannedFile } from '../shared/spec.js';
import { ipcFiles } from './files.js';

export { ipcConfig } from './files.js';

/** `yo puruto:ipc`: delegation between Purutos (/call, ipc.py, invoker.py). */
export default class IpcGenerator extends AddOnGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, { label: 'IPC', marker: '.puruto-ipc.json' });
  }

  protected addOnFlag(): string {
    return 'ipc';
  }

  protected plan(): PlannedFile[] {
    return ipcFiles(this.owner);
  }

  protected merge(): Merge {
    return {
      readme: {
        heading: '## IPC (delegation to other Purutos)',
        body: IPC_README,
      },
      env: IPC_ENV,
    };
  }
}

/** The README section merged by `puruto:ipc`: how to allow, run and configure calls. */
export const IPC_README = [
  'This Puruto can delegate work to other Purutos with `/call <target> <action> "<prompt>"`,',
  "which runs `python3 ipc.py --target T --action A --prompt P [--timeout S]`.",
  '',
  '- **Deny-by-default.** `.puruto-ipc.json` must have `"enabled": true`, list the target in',
  '  `allowed_targets` (an empty list allows nothing) and the action in `allowed_actions`',
  '  (e.g. `{"puruto-notes": ["summarize"]}`). `max_hops` bounds delegation chains: a call at',
  '  hop N is refused when N >= `max_hops`. `default_timeout_sec` applies without `--timeout`.',
  '- **Answer.** `ipc.py` prints `{"request": ..., "response": ...}` (the IPC fields of the Puruto standard) and exits',
  '  0 when `response.status` is `ok`, 1 when it is `error` (2 for bad arguments). Error codes:',
  '  `DENIED`, `TARGET_NOT_FOUND`, `TIMEOUT`, `INVALID_RESPONSE`, `IPC_ERROR` (setup or agent',
  '  failure; `error.details.reason` says which). A target name that is not a plain folder name',
  '  (`..`, `/`) is `DENIED`.',
  '- **Target.** Found through the entry with a `path` in `$PURUTO_DATA_PATH/registry.json`',
  '  (default `../puruto-data`; a relative `path` is relative to the vault), else the folder',
  '  `../<target>` beside this repo.',
  '- **Agent.** `invoker.py` runs the target\'s agent headless in the target\'s folder, chosen by',
  '  `PURUTO_AGENT` (default: the first of `claude`, `codex`, `gemini` found on PATH):',
  '  `claude -p MESSAGE --output-format json`, `codex exec MESSAGE --json`,',
  '  `gemini -p MESSAGE --output-format json` (plus `PURUTO_AGENT_ARGS`), `command` (runs',
  '  `PURUTO_AGENT_COMMAND`), or `stub` (deterministic echo, nothing runs). MESSAGE is',
  '  `/<action> <prompt>` followed by a line saying the request comes from this Puruto through',
  '  IPC. A denied tool, an agent-reported error or an empty answer is an `IPC_ERROR`;',
  '  unparsable output is `INVALID_RESPONSE`. On timeout the agent\'s whole process group is',
  '  killed (`TIMEOUT`).',
  '- **`command` adapter.** `PURUTO_AGENT_COMMAND` is split like a shell line but run without a',
  '  shell; each word may hold placeholders, filled after splitting (so a prompt stays one',
  '  argument): `{message}` `{prompt}` `{action}` `{target}` `{target_path}` `{caller}`',
  '  `{request_id}` `{correlation_id}` `{hop}`. It runs in the target\'s folder and must print one',
  '  JSON object: that object is the result, unless it has a non-empty `error` or',
  '  `"status": "error"`, or the command exits non-zero.',
  '- **Chains.** The agent runs with `PURUTO_IPC_CORRELATION_ID` (shared by every call of the',
  '  chain), `PURUTO_IPC_HOP` (this hop + 1) and `PURUTO_IPC_CALLER` set, so a `/call` made by',
  '  the target continues the chain and its `max_hops` check holds. They are set by the',
  '  invoker: never put them in `.env`.',
  '- **Settings** (`PURUTO_AGENT`, `PURUTO_AGENT_COMMAND`, `PURUTO_AGENT_ARGS`,',
  '  `PURUTO_DATA_PATH`) come from the environment, else from `.env` (see `.env.example`).',
].join('\n');

/** The `.env.example` block merged by `puruto:ipc` (all optional, so all commented). */
export const IPC_ENV = [
  '# IPC: agent that runs a target Puruto: claude, codex, gemini, command or stub',
  '# (stub = deterministic echo, a dry run). Default: the first of claude, codex, gemini on PATH.',
  '# PURUTO_AGENT=stub',
  '',
  '# IPC: command line for PURUTO_AGENT=command, run without a shell in the target folder;',
  '# placeholders {message} {prompt} {action} {target} {target_path} {caller} {request_id}',
  '# {correlation_id} {hop}; it must print one JSON object. Default: empty.',
  '# PURUTO_AGENT_COMMAND=my-agent --cwd {target_path} {message}',
  '',
  '# IPC: extra arguments for claude, codex or gemini (e.g. --permission-mode acceptEdits). Default: none.',
  '# PURUTO_AGENT_ARGS=',
  '',
  '# IPC chain variables PURUTO_IPC_CORRELATION_ID, PURUTO_IPC_HOP and PURUTO_IPC_CALLER are set',
  '# by the invoker for the agent it runs: never set them here.',
].join('\n');
