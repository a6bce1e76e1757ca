import { CORE_SKILLS } from '../../lib/standard/kinds.js';
import { STANDARD_VERSION, VERSION_FILE } from '../../lib/standard/version.js';
import type { PlannedFile } from '../shared/spec.js';
import { commonContext, geminiSettings } from '../shared/context.js';
import type { AppAnswers } from './questions.js';

/** Stdlib Python helpers behind /init, /status and /list (copied verbatim). */
const SCRIPTS = ['init/scripts/init.py', 'status/scripts/status.py', 'status/scripts/puruto_env.py', 'list/scripts/list_skills.py'];

/** Which files a standard Puruto gets, and when. Conditions live here, not in templates. */
export function appFiles(a: AppAnswers): PlannedFile[] {
  const context = { ...commonContext(a.name, a.description), db: a.db, skills: a.skills, ipc: a.ipc, agentTests: a['agent-tests'] };
  const files: PlannedFile[] = [
    { dest: 'AGENTS.md', template: 'AGENTS.md.ejs', context },
    { dest: 'CLAUDE.md', template: 'CLAUDE.md.ejs', context },
    { dest: 'agent.md', template: 'agent.md.ejs', context },
    { dest: 'README.md', template: 'README.md.ejs', context },
    { dest: '.env.example', template: '_env.example.ejs', context },
    { dest: '.gitignore', template: '_gitignore.ejs', context },
    { dest: VERSION_FILE, text: `${STANDARD_VERSION}\n` },
    { dest: '.gemini/settings.json', json: geminiSettings() },
  ];
  for (const skill of CORE_SKILLS) {
    files.push({ dest: `.claude/skills/${skill}/SKILL.md`, template: `skills/${skill}/SKILL.md.ejs`, context });
  }
  files.push(
    ...SCRIPTS.map((s) => ({ dest: `.claude/skills/${s}`, copy: `skills/${s}` })),
  );
  for (const skill of a.skills) {
    files.push({ dest: `.claude/skills/${skill}/SKILL.md`, template: 'skills/extra/SKILL.md.ejs', context: { ...context, skill } });
  }
  if (a.db) files.push({ dest: 'db/.gitkeep', text: '' });
  return files;
}
