import { execFileSync } from 'node:child_process';
/**
 * Fixture repos built from code: `writeTree` writes `path → contents` maps, and the
 * `valid*` functions return maps of minimal repos that pass validation.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CORE_SKILLS, KINDS, type KindName } from '../../lib/standard/kinds.js';
import { STANDARD_VERSION } from '../../lib/standard/version.js';

/** Write every `relative/posix/path → contents` under `dir`, creating folders. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, contents] of Object.entries(files)) {
    const abs = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, contents);
  }
}

/** A SKILL.md with valid frontmatter (name, description, user-invocable, allowed-tools). */
export function skillMd(name: string, description = `Run the ${name} step of this Puruto.`): string {
  return [
    '---',
    `name: ${name}`,
    `description: ${description}`,
    'user-invocable: true',
    'allowed-tools:',
    '  - Read',
    '  - Bash',
    '---',
    '',
    `# /${name}`,
    '',
    '1. Read the repo state.',
    '2. Report what you did.',
    '',
  ].join('\n');
}

/** Files of a valid standard Puruto named `name`. */
export function validStandardRepo(name: string): Record<string, string> {
  const files: Record<string, string> = {
    'CLAUDE.md': `# ${name}\n\nYou operate the ${name} Puruto. Use its skills.\n`,
    'agent.md': `# ${name}\n\nYou operate the ${name} Puruto. Use its skills.\n`,
    'README.md': `# ${name}\n\nA Puruto. Run \`cp .env.example .env\` then /init.\n`,
    '.env.example':
      '# Path to puruto-data (default ../puruto-data)\n# PURUTO_DATA_PATH=../puruto-data\n# SQLite database ' +
      'file (default db/data.db)\nDB_PATH=db/data.db\n',
    '.gitignore': '.env\ndb/*.db\n__pycache__/\nnode_modules/\n',
    '.puruto-standard-version': `${STANDARD_VERSION}\n`,
  };
  for (const skill of CORE_SKILLS) files[`.claude/skills/${skill}/SKILL.md`] = skillMd(skill);
  return files;
}

/** Files of a valid repo of `kind` (minimal components; folder name should be the kind). */
export function validKindRepo(kind: KindName, name: string = kind): Record<string, string> {
  const files = validStandardRepo(name);
  const spec = KINDS[kind];
  for (const file of spec.requiredFiles) files[file] = `# ${file}\n`;
  for (const dir of spec.requiredDirs) files[`${dir}/.gitkeep`] = '';
  for (const skill of spec.requiredSkills) files[`.claude/skills/${skill}/SKILL.md`] = skillMd(skill);
  if (kind === 'puruto-data') files['registry.json'] = JSON.stringify({ version: '1', purutos: [] }, null, 2);
  if (kind === 'puruto-telegram') files['.channels.json'] = JSON.stringify({ channels: ['puruto-data'] }, null, 2);
  if (kind === 'puruto-cron') {
    files['.jobs.json'] = JSON.stringify(
      {
        jobs: [
          { job_id: 'sample', puruto_target: 'puruto-data', schedule: '0 9 * * 1-5', prompt: 'status', enabled: false },
        ],
      },
      null,
      2,
    );
  }
  if (kind === 'puruto-gateway')
    files['.env.example'] += '# API key (placeholder, change it)\nPURUTO_GATEWAY_API_KEY=changeme\n';
  return files;
}

/** Files that turn IPC on for a repo named `owner`. */
export function ipcFiles(owner: string): Record<string, string> {
  return {
    '.puruto-ipc.json': JSON.stringify(
      { enabled: true, owner, max_hops: 2, default_timeout_sec: 120, allowed_targets: [], allowed_actions: {} },
      null,
      2,
    ),
    'ipc.py': 'import json\n',
    'invoker.py': 'import json\n',
    '.claude/skills/call/SKILL.md': skillMd('call', 'Delegate an action to another Puruto.'),
  };
}

/** `.agents/skills -> ../.claude/skills`, the mirror the project expects. */
export function linkSkillsMirror(dir: string): void {
  fs.mkdirSync(path.join(dir, '.agents'), { recursive: true });
  fs.symlinkSync('../.claude/skills', path.join(dir, '.agents', 'skills'));
}

/** A fresh temporary folder; remove it with `fs.rmSync(dir, { recursive: true, force: true })`. */
/** A fresh temp folder, as a real path (so it compares equal to paths tools print). */
export function tempDir(prefix = 'puruto-test-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/**
 * A temp folder for one test file: registers mocha hooks that create it and remove it
 * afterwards (restoring permissions a test took away), and returns helpers inside it.
 */
export function repoSandbox(prefix: string) {
  let root = '';
  let n = 0;
  before(() => {
    root = tempDir(prefix);
  });
  after(() => {
    execFileSync('chmod', ['-R', 'u+rwx', root]);
    fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    /** Writes `files` into a fresh folder named `name` (unique parent) and returns its path. */
    make(files: Record<string, string>, name = 'puruto-x'): string {
      const dir = path.join(root, String(n++), name);
      writeTree(dir, files);
      return dir;
    },
    /** A path inside the sandbox. */
    at(...parts: string[]): string {
      return path.join(root, ...parts);
    },
  };
}
