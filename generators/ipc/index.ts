import { AddOnGenerator, type Merge } from '../shared/addon.js';
import type { PlannedFile } from '../shared/spec.js';
import { adapterFacts, adapterList, autoAgents } from './adapters.js';
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
        body: ipcReadme(),
      },
      env: ipcEnv(),
    };
  }
}

const code = (words: string[]) => words.map((w) => `\`${w}\``).join(', ');

/** The README section merged by `puruto:ipc`: how to allow, run and configure calls. */
export function ipcReadme(): string {
  const facts = adapterFacts();
  const clis = facts.filter((f) => f.auto);
  return [
    'This Puruto can delegate work to other Purutos with `/call <target> <action> "<prompt>"`,',
    'which runs `python3 ipc.py --target T --action A --prompt=P [--timeout S]` (`--prompt=` keeps a prompt',
    'that starts with `-` a prompt; `--prompt-file PATH`, `-` for stdin, reads a long one as it is).',
    '',
    '- **Deny-by-default.** `.puruto-ipc.json` must have `"enabled": true`, list the target in',
    '  `allowed_targets` (an empty list allows nothing) and the action in `allowed_actions`',
    '  (e.g. `{"puruto-notes": ["summarize", "message"]}`). `max_hops` bounds delegation chains: a call at',
    '  hop N is refused when N >= `max_hops`. `default_timeout_sec` applies without `--timeout`.',
    "  The file's rules are `.puruto-schemas/ipc.schema.json`, the JSON Schema `puruto validate --strict`",
    '  applies; `ipc.py` checks the file with it (through `json_schema.py`) before every call.',
    '- **Actions.** An action is a skill of the target (`.claude/skills/<action>/SKILL.md`); one the',
    '  target does not have is refused before any agent starts (`TARGET_NOT_FOUND`,',
    '  `details.reason: "skill_not_found"`, with the target\'s skills). The reserved action `message`',
    "  carries free text: the target's agent gets it without a slash command and picks the skill",
    "  by the target's rules (no skill may be named `message`).",
    '- **Answer.** `ipc.py` prints `{"request": ..., "response": ...}` (the IPC fields of the Puruto standard) and ' +
      'exits',
    '  0 when `response.status` is `ok`, 1 when it is `error` (2 for bad arguments). Error codes:',
    '  `DENIED`, `TARGET_NOT_FOUND`, `TIMEOUT`, `INVALID_RESPONSE`, `IPC_ERROR` (setup or agent',
    "  failure; `error.details.reason` says which: `agent_error` with the model API's message,",
    '  `permission_denied`, `empty_answer`, `not_configured`...). A target name that is not a plain',
    '  folder name (`..`, `/`) is `DENIED`.',
    '- **Target.** Found through the entry with a `path` in `$PURUTO_DATA_PATH/registry.json`',
    '  (default `../puruto-data`; a relative `path` is relative to the vault), else the folder',
    "  `../<target>` beside this repo. A registry path outside the ecosystem folder (the vault's",
    '  parent) or the folders of `PURUTO_ECOSYSTEM_ROOTS` is `DENIED`.',
    `- **Agent.** \`invoker.py\` runs the target's agent headless in the target's folder (cwd and PWD), chosen by`,
    `  \`PURUTO_AGENT\`: ${code(facts.map((f) => f.name))} (default: the first of ` +
      `${code(clis.map((f) => f.binary))} found on PATH;`,
    '  `python3 invoker.py --adapters` prints the table). Each CLI works in a fresh repo with no',
    "  extra arguments; the skill is invoked by that agent's own syntax and its `allowed-tools` become",
    "  the agent's permissions (a skill with only `Read` cannot run a shell or write):",
    '',
    adapterTableFor(clis),
    '',
    '  `command` runs `PURUTO_AGENT_COMMAND`; `stub` is a deterministic echo (nothing runs).',
    "  `PURUTO_AGENT_ARGS` adds arguments to the CLI's command line. A denied tool, an agent-reported",
    '  error or an empty answer is an `IPC_ERROR`; unparsable output is `INVALID_RESPONSE`. On timeout',
    "  the agent's whole process group is killed (`TIMEOUT`, with the tail of its stderr). Every CLI",
    '  reads the message on its stdin, never as a command-line word, so free text (numbers, a leading',
    '  `-`, quotes, `$VARS`, newlines) reaches the model as written; a prompt with a NUL character is',
    '  `prompt_has_nul`, a message over 8 MiB `prompt_too_long` (before any agent starts).',
    '- **`command` adapter.** `PURUTO_AGENT_COMMAND` is split like a shell line but run without a',
    '  shell; each word may hold placeholders, filled after splitting (so a prompt stays one',
    '  argument): `{message}` `{prompt}` `{action}` `{target}` `{target_path}` `{caller}`',
    '  `{request_id}` `{correlation_id}` `{hop}` `{tools}` (the granted allowed-tools); a filled word',
    '  holds at most 128 KiB (Linux), and one starting with `-` is still one argument: put `--` before',
    '  it or use `--flag={message}` if the command parses options. It runs in the',
    "  target's folder and must print one JSON object: that object is the result, unless it has a",
    '  non-empty `error` or `"status": "error"`, or the command exits non-zero.',
    '- **Chains.** The agent runs with `PURUTO_IPC_CORRELATION_ID` (shared by every call of the',
    '  chain), `PURUTO_IPC_HOP` (this hop + 1) and `PURUTO_IPC_CALLER` set, so a `/call` made by',
    '  the target continues the chain and its `max_hops` check holds. They are set by the',
    '  invoker: never put them in `.env`.',
    '- **Settings** (`PURUTO_AGENT`, `PURUTO_AGENT_COMMAND`, `PURUTO_AGENT_ARGS`,',
    '  `PURUTO_DATA_PATH`, `PURUTO_ECOSYSTEM_ROOTS`) come from the environment, else from `.env` (see `.env.example`).',
  ].join('\n');
}

function adapterTableFor(clis: ReturnType<typeof adapterFacts>): string {
  return [
    '  | agent | reads | skills | skill syntax | permissions | set once |',
    '  |---|---|---|---|---|---|',
    ...clis.map(
      (f) =>
        `  | \`${f.name}\` | ${f.rules} | \`${f.skills}\` | \`${f.syntax.replace('{skill}', '<skill>')}\` | ` +
        `${f.permissions} | ${f.setup} |`,
    ),
  ].join('\n');
}

/** The `.env.example` block merged by `puruto:ipc` (all optional, so all commented). */
export function ipcEnv(): string {
  return [
    `# IPC: agent that runs a target Puruto: ${adapterList()}`,
    `# (stub = deterministic echo, a dry run). Default: the first of ${autoAgents().join(', ')} on PATH.`,
    '# PURUTO_AGENT=stub',
    '',
    '# IPC: command line for PURUTO_AGENT=command, run without a shell in the target folder;',
    '# placeholders {message} {prompt} {action} {target} {target_path} {caller} {request_id}',
    '# {correlation_id} {hop} {tools}; it must print one JSON object. Default: empty.',
    '# PURUTO_AGENT_COMMAND=my-agent --cwd {target_path} {message}',
    '',
    "# IPC: extra arguments added to the agent CLI's command line; none is needed. Default: none.",
    '# PURUTO_AGENT_ARGS=',
    '',
    "# IPC: folders besides the ecosystem folder (the vault's parent) where registry paths may",
    '# point, separated by ":"; a path anywhere else (/etc, /, ~) is refused. Default: empty.',
    '# PURUTO_ECOSYSTEM_ROOTS=',
    '',
    '# IPC chain variables PURUTO_IPC_CORRELATION_ID, PURUTO_IPC_HOP and PURUTO_IPC_CALLER are set',
    '# by the invoker for the agent it runs: never set them here.',
  ].join('\n');
}
