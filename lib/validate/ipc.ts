/**
 * IPC consistency (SPEC §4 [std]) plus the JSON Schema of `.puruto-ipc.json` [ours].
 */
import { std, type Finding } from '../standard/findings.js';
import { skillPath } from '../standard/kinds.js';
import { getValidator } from '../schemas/index.js';
import { describeCode, whyNot, type RepoContext } from './context.js';
import { schemaFindings } from './schema-findings.js';
import { parseJsonText } from './json-text.js';

export const IPC_CONFIG = '.puruto-ipc.json';
export const IPC_KEYS = [
  'enabled',
  'owner',
  'max_hops',
  'default_timeout_sec',
  'allowed_targets',
  'allowed_actions',
] as const;
const IPC_RUNTIME = ['ipc.py', 'invoker.py'] as const;
const CALL_SKILL = skillPath('call');

const DEFAULTS: Record<(typeof IPC_KEYS)[number], string> = {
  enabled: 'true',
  owner: '"<repo name>"',
  max_hops: '2',
  default_timeout_sec: '120',
  allowed_targets: '[]',
  allowed_actions: '{}',
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Config = { ok: true; data: Record<string, unknown> } | { ok: false; finding: Finding };

function readConfig(ctx: RepoContext): Config {
  const state = ctx.state(IPC_CONFIG);
  const fix =
    `make it a JSON object like {"enabled": true, "owner": "<repo name>", "max_hops": 2, "default_timeout_sec": ` +
    `120, "allowed_targets": [], "allowed_actions": {}}`;
  if (state.type !== 'file')
    return {
      ok: false,
      finding: std('invalid-ipc-config', IPC_CONFIG, `${whyNot(IPC_CONFIG, state, 'file')}; ${fix}`),
    };
  const read = ctx.read(IPC_CONFIG);
  if (!read.ok)
    return {
      ok: false,
      finding: std(
        'invalid-ipc-config',
        IPC_CONFIG,
        `${IPC_CONFIG} cannot be read: ${describeCode(read.code)}; fix its permissions`,
      ),
    };
  const parsed = parseJsonText(read.text);
  if (!parsed.ok)
    return { ok: false, finding: std('invalid-ipc-config', IPC_CONFIG, `${IPC_CONFIG} ${parsed.problem}; ${fix}`) };
  const data = parsed.data;
  if (!isPlainObject(data))
    return {
      ok: false,
      finding: std(
        'invalid-ipc-config',
        IPC_CONFIG,
        `${IPC_CONFIG} must hold a JSON object, not ${Array.isArray(data) ? 'a list' : JSON.stringify(data)}; ${fix}`,
      ),
    };
  return { ok: true, data };
}

async function checkConfig(ctx: RepoContext, data: Record<string, unknown>): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const key of IPC_KEYS) {
    if (!Object.hasOwn(data, key)) {
      findings.push(
        std('ipc-config-missing-key', IPC_CONFIG, `${IPC_CONFIG} lacks "${key}"; add "${key}": ${DEFAULTS[key]}`),
      );
    }
  }
  const targets = data['allowed_targets'];
  if (targets !== undefined && !Array.isArray(targets)) {
    findings.push(
      std(
        'ipc-config-invalid-type',
        IPC_CONFIG,
        `${IPC_CONFIG}: "allowed_targets" must be a list of repo names (e.g. ["puruto-data"]), ` +
          `got ${JSON.stringify(targets)}`,
      ),
    );
  }
  const actions = data['allowed_actions'];
  if (actions !== undefined && !isPlainObject(actions)) {
    findings.push(
      std(
        'ipc-config-invalid-type',
        IPC_CONFIG,
        `${IPC_CONFIG}: "allowed_actions" must be an object mapping a target to its allowed actions (e.g. ` +
          `{"puruto-data": ["status"]}), got ${JSON.stringify(actions)}`,
      ),
    );
  }
  const validate = await getValidator('ipc');
  findings.push(
    ...schemaFindings(
      IPC_CONFIG,
      validate(data),
      data,
      ctx.strict,
      'fix the value (see the IPC section of the Puruto standard)',
    ),
  );
  return findings;
}

export async function checkIpc(ctx: RepoContext): Promise<Finding[]> {
  const hasConfig = ctx.state(IPC_CONFIG).type !== 'missing';
  const hasCall = ctx.isFile(CALL_SKILL);
  if (!hasConfig) {
    return hasCall
      ? [
          std(
            'missing-ipc-config',
            IPC_CONFIG,
            `the /call skill exists but ${IPC_CONFIG} is missing; add it (e.g. \`yo puruto:ipc\`) ` +
              `or remove ${CALL_SKILL}`,
          ),
        ]
      : [];
  }
  const findings: Finding[] = [];
  const config = readConfig(ctx);
  if (config.ok) findings.push(...(await checkConfig(ctx, config.data)));
  else findings.push(config.finding);
  if (!hasCall) {
    findings.push(
      std(
        'missing-ipc-skill',
        CALL_SKILL,
        `${whyNot(CALL_SKILL, ctx.state(CALL_SKILL), 'file')} although ${IPC_CONFIG} exists; ` +
          `add the /call skill (\`yo puruto:ipc\`) or remove ${IPC_CONFIG}`,
      ),
    );
  }
  for (const file of IPC_RUNTIME) {
    const state = ctx.state(file);
    if (state.type !== 'file') {
      findings.push(
        std(
          'missing-ipc-runtime',
          file,
          `${whyNot(file, state, 'file')} although ${IPC_CONFIG} exists; ` +
            `add the IPC runtime (\`yo puruto:ipc\` or \`puruto upgrade\`)`,
        ),
      );
    }
  }
  return findings;
}
