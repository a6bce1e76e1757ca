/**
 * The ordered migrations of SPEC §5. Each one changes structure only (never business
 * logic or data), returns its actions in plain words, and never overwrites a file that
 * exists: an artifact the new version wants that is already there with other content is
 * reported as kept.
 */
import { RUNTIME_PACKAGE } from '../../generators/shared/runtime-files.js';
import { VERSION_CHAIN, VERSION_FILE } from '../standard/version.js';
import { GENERATOR_KEY, YO_RC_FILE } from '../validate/kind.js';
import { UpgradeError, type Draft } from './draft.js';
import { ignoreDotEnv, renameEnvVar } from './edits.js';
import type { RepoFacts } from './facts.js';
import type { Version } from './versions.js';

/** The files a migration may add that import puruto_runtime. */
const RUNTIME_USERS = ['invoker.py', 'json_schema.py', 'inbox.py', 'telegram_env.py'];

/** Renders a file exactly as the generators write it for this repo (one source: their plans). */
export interface Artifacts {
  /** Content of `dest`, or undefined when no plan of this repo's kind has that file. */
  render(dest: string): string | undefined;
  /** The files the plans of this repo's kind have under `folder` (e.g. the vendored runtime package), sorted. */
  under(folder: string): string[];
}

export interface StepContext {
  draft: Draft;
  facts: RepoFacts;
  artifacts: Artifacts;
}

export interface Migration {
  from: Version;
  to: Version;
  /** The step's own edits (the version write that ends every step is applyMigration's). */
  run(ctx: StepContext): string[];
}

const code = (s: string): string => `\`${s}\``;

/** Add `dest` from the templates unless it exists; reports what it did, if anything. */
function ensureFile(ctx: StepContext, dest: string): string | undefined {
  const wanted = ctx.artifacts.render(dest);
  if (wanted === undefined)
    throw new UpgradeError(`internal: no template renders ${dest} for a ${ctx.facts.kind} repo`);
  const existing = ctx.draft.read(dest);
  if (existing === undefined) {
    ctx.draft.write(dest, wanted);
    return `Add ${code(dest)}`;
  }
  if (existing === wanted) return undefined;
  return `Kept ${code(dest)}: it already exists with other content (not overwritten)`;
}

function writeVersion(ctx: StepContext, to: Version): string[] {
  ctx.draft.write(VERSION_FILE, `${to}\n`);
  const actions = [`Write ${code(VERSION_FILE)} = ${to}`];
  // The generator's record (Yeoman's own file) follows the repo, when there is one.
  const rc = ctx.draft.read(YO_RC_FILE);
  if (rc !== undefined) {
    try {
      const data = JSON.parse(rc) as Record<string, unknown>;
      const section = data[GENERATOR_KEY];
      if (section && typeof section === 'object' && !Array.isArray(section)) {
        (section as Record<string, unknown>)['standardVersion'] = to;
        ctx.draft.write(YO_RC_FILE, `${JSON.stringify(data, null, 2)}\n`);
        actions.push(`Set ${code('standardVersion')} = ${to} in ${code(YO_RC_FILE)}`);
      }
    } catch {
      // A .yo-rc.json that does not parse is the user's to fix; the version file is the record.
    }
  }
  return actions;
}

const OLD_TOKEN = 'PURUTO_BOT_TOKEN';
const NEW_TOKEN = 'PURUTO_TELEGRAM_BOT_TOKEN';

/**
 * The steps along VERSION_CHAIN (lib/standard/version.ts), in order: STEPS[i] takes a repo
 * from VERSION_CHAIN[i] to VERSION_CHAIN[i + 1]. The versions are the chain's, never spelt
 * here; test/unit/version-chain.test.ts checks there is one step per link.
 */
const STEPS: readonly Migration['run'][] = [
  // 0.0.0 → 0.1.0: the Telegram token's new name, and .env ignored.
  (ctx) => {
    const actions: string[] = [];
    // Edited as latin1 (one char per byte, the edits are ASCII): every byte the edit
    // does not touch is written back as it was, whatever the file's encoding.
    const env = ctx.draft.readBytes('.env.example')?.toString('latin1');
    if (env !== undefined) {
      const r = renameEnvVar(env, OLD_TOKEN, NEW_TOKEN);
      if (r.status === 'renamed') {
        ctx.draft.write('.env.example', Buffer.from(r.text, 'latin1'));
        actions.push(`Rename ${code(OLD_TOKEN)} to ${code(NEW_TOKEN)} in ${code('.env.example')}`);
      } else if (r.status === 'both') {
        actions.push(
          `Kept ${code(OLD_TOKEN)} in ${code('.env.example')}: ` +
            `${code(NEW_TOKEN)} is already there (delete the old line by hand)`,
        );
      }
    }
    const gitignore = ctx.draft.readBytes('.gitignore')?.toString('latin1');
    if (gitignore !== undefined) {
      const next = ignoreDotEnv(gitignore);
      if (next !== undefined) {
        ctx.draft.write('.gitignore', Buffer.from(next, 'latin1'));
        actions.push(`Add ${code('.env')} to ${code('.gitignore')}`);
      }
    }
    return actions;
  },
  // 0.1.0 → 0.2.0: the IPC runtime, the telegram inbox, agent.md.
  (ctx) => {
    const wanted: string[] = [];
    if (ctx.draft.entry('.puruto-ipc.json') === 'file')
      // json_schema.py and the schema: what ipc.py checks .puruto-ipc.json with (generators/ipc/files.ts).
      wanted.push(
        'ipc.py',
        'invoker.py',
        'json_schema.py',
        '.puruto-schemas/ipc.schema.json',
        '.claude/skills/call/SKILL.md',
      );
    if (ctx.facts.kind === 'puruto-cron' || ctx.facts.kind === 'puruto-gateway') wanted.push('invoker.py');
    if (ctx.facts.kind === 'puruto-telegram') {
      // telegram_env.py: the helpers inbox.py imports, so it runs beside an older db.py.
      wanted.push('inbox.py', 'telegram_env.py', 'inbox/.gitkeep', '.claude/skills/drain-inbox/SKILL.md');
    }
    // An added file that imports the vendored runtime package (the entry points invoker.py and json_schema.py,
    // the telegram inbox and its settings) comes with it; one already there, kept, is an older self-contained file.
    if (RUNTIME_USERS.some((d) => wanted.includes(d) && ctx.draft.read(d) === undefined))
      wanted.push(...ctx.artifacts.under(RUNTIME_PACKAGE));
    wanted.push('agent.md');
    const actions = [...new Set(wanted)]
      .map((dest) => ensureFile(ctx, dest))
      .filter((a): a is string => a !== undefined);
    return actions;
  },
];

export const MIGRATIONS: readonly Migration[] = STEPS.map((run, i) => ({
  from: VERSION_CHAIN[i]!,
  to: VERSION_CHAIN[i + 1]!,
  run,
}));

/** One step: its edits, then the repo records the step's `to` (the version file and .yo-rc.json). */
export function applyMigration(m: Migration, ctx: StepContext): string[] {
  return [...m.run(ctx), ...writeVersion(ctx, m.to)];
}

export function migrationFrom(from: Version): Migration {
  const m = MIGRATIONS.find((x) => x.from === from);
  if (!m) throw new UpgradeError(`internal: no migration from ${from}`);
  return m;
}
