/**
 * The standard's structural checks (SPEC §4 [std]): agent rules, required files, core
 * skills, standard version, .gitignore, kind-specific components.
 */
import { std, type Finding, type StdCode } from '../standard/findings.js';
import { CORE_SKILLS, KINDS, kindComponents, skillPath } from '../standard/kinds.js';
import { STANDARD_VERSION, VERSION_FILE } from '../standard/version.js';
import { whyNot, type RepoContext, unreadableFinding } from './context.js';

export const SKILLS_DIR = '.claude/skills';

/** Std finding when `rel` is not a `expected` (file or folder). */
function expect(ctx: RepoContext, rel: string, expected: 'file' | 'dir', code: StdCode, fix: string): Finding[] {
  const state = ctx.state(rel);
  if (state.type === expected) return [];
  return [std(code, rel, `${whyNot(rel, state, expected)}; ${fix}`)];
}

function agentRules(ctx: RepoContext): Finding[] {
  const claude = ctx.state('CLAUDE.md');
  const agent = ctx.state('agent.md');
  const hasClaude = claude.type === 'file';
  const hasAgent = agent.type === 'file';
  if (!hasClaude && !hasAgent) {
    const detail = [
      claude.type === 'missing' ? '' : whyNot('CLAUDE.md', claude, 'file'),
      agent.type === 'missing' ? '' : whyNot('agent.md', agent, 'file'),
    ]
      .filter(Boolean)
      .join('; ');
    return [
      std(
        'missing-agent-rules',
        'CLAUDE.md',
        `no agent rules: neither CLAUDE.md nor agent.md is present${detail ? ` (${detail})` : ''}; ` +
          'add CLAUDE.md (read by Claude Code) and agent.md (the same rules for other agents) ' +
          'describing identity, behaviour and skills',
      ),
    ];
  }
  if (!hasClaude) {
    return [
      std(
        'missing-recommended-file',
        'CLAUDE.md',
        `${whyNot('CLAUDE.md', claude, 'file')}; add it (Claude Code reads CLAUDE.md) with the same rules as agent.md`,
      ),
    ];
  }
  if (!hasAgent) {
    return [
      std(
        'missing-recommended-file',
        'agent.md',
        `${whyNot('agent.md', agent, 'file')}; add it with the same rules as CLAUDE.md for other agents (or ` +
          `run \`puruto upgrade\`)`,
      ),
    ];
  }
  return [];
}

function required(ctx: RepoContext): Finding[] {
  return [
    ...expect(
      ctx,
      'README.md',
      'file',
      'missing-required',
      'add README.md with the human documentation of this Puruto',
    ),
    ...expect(
      ctx,
      '.env.example',
      'file',
      'missing-required',
      'add .env.example listing every variable with a comment (no real secrets)',
    ),
    ...expect(
      ctx,
      SKILLS_DIR,
      'dir',
      'missing-required',
      `create the folder ${SKILLS_DIR}/ with one sub-folder per skill`,
    ),
  ];
}

function coreSkills(ctx: RepoContext): Finding[] {
  return CORE_SKILLS.flatMap((name) =>
    expect(
      ctx,
      skillPath(name),
      'file',
      'missing-core-skill',
      `add the core skill /${name} as ${skillPath(name)} (frontmatter name, description, user-invocable)`,
    ),
  );
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function standardVersion(ctx: RepoContext): Finding[] {
  const state = ctx.state(VERSION_FILE);
  if (state.type !== 'file') {
    return [
      std(
        'missing-standard-version',
        VERSION_FILE,
        `${whyNot(VERSION_FILE, state, 'file')}; create it with the single line ${STANDARD_VERSION} (or run ` +
          `\`puruto upgrade\`)`,
      ),
    ];
  }
  const read = ctx.read(VERSION_FILE);
  if (!read.ok) {
    return [unreadableFinding(ctx, VERSION_FILE, read.code)];
  }
  const version = read.text.trim();
  if (version === '') {
    return [
      std(
        'empty-standard-version',
        VERSION_FILE,
        `${VERSION_FILE} is empty; write the single line ${STANDARD_VERSION} (or run \`puruto upgrade\`, ` +
          `which treats it as 0.0.0)`,
      ),
    ];
  }
  if (version === STANDARD_VERSION) return [];
  const semver = /^\d+\.\d+\.\d+$/.test(version);
  const fix = !semver
    ? `it must be one line like ${STANDARD_VERSION}; fix it (or run \`puruto upgrade\`)`
    : compareVersions(version, STANDARD_VERSION) < 0
      ? `run \`puruto upgrade\` to migrate to ${STANDARD_VERSION}`
      : `it is newer than this validator; update generator-puruto`;
  const shown = version.length > 40 ? `${version.slice(0, 40)}…` : version;
  return [
    std(
      'unsupported-standard-version',
      VERSION_FILE,
      `${VERSION_FILE} says "${shown}" but the supported standard is ${STANDARD_VERSION}; ${fix}`,
    ),
  ];
}

function gitignore(ctx: RepoContext): Finding[] {
  if (ctx.state('.env').type === 'missing' || ctx.isFile('.gitignore')) return [];
  return [
    std(
      'missing-gitignore',
      '.gitignore',
      '.env exists but there is no .gitignore; add a .gitignore containing the line `.env` so local secrets ' +
        'are never committed',
    ),
  ];
}

function kindFiles(ctx: RepoContext): Finding[] {
  const spec = KINDS[ctx.kind];
  const code = spec.missingCode;
  if (code === null) return [];
  return kindComponents(ctx.kind).flatMap(({ path, dir }) =>
    expect(
      ctx,
      path,
      dir ? 'dir' : 'file',
      code,
      `${spec.kind} requires it: create it (or run \`yo puruto:${spec.generator}\` / \`puruto upgrade\` to ` +
        `restore the scaffold)`,
    ),
  );
}

export function checkStructure(ctx: RepoContext): Finding[] {
  return [
    ...agentRules(ctx),
    ...required(ctx),
    ...coreSkills(ctx),
    ...standardVersion(ctx),
    ...gitignore(ctx),
    ...kindFiles(ctx),
  ];
}
