import type { PlannedFile } from '../shared/spec.js';
import { commonContext } from '../shared/context.js';
import { OWN_CORE_SKILLS, commonFiles } from '../shared/common-files.js';
import type { AppAnswers } from './questions.js';

/** This kind's stdlib Python behind /init and /status (copied verbatim; /list is common). */
const SCRIPTS = ['init/scripts/init.py', 'status/scripts/status.py'];

/** Which files a standard Puruto gets, and when. Conditions live here, not in templates. */
export function appFiles(a: AppAnswers): PlannedFile[] {
  const context = {
    ...commonContext(a.name, a.description),
    db: a.db,
    skills: a.skills,
    ipc: a.ipc,
    agentTests: a['agent-tests'],
  };
  const files: PlannedFile[] = [
    ...commonFiles(context),
    { dest: 'AGENTS.md', template: 'AGENTS.md.ejs', context },
    { dest: 'README.md', template: 'README.md.ejs', context },
    { dest: '.env.example', template: '_env.example.ejs', context },
    { dest: '.gitignore', template: '_gitignore.ejs', context },
  ];
  for (const skill of OWN_CORE_SKILLS) {
    files.push({ dest: `.claude/skills/${skill}/SKILL.md`, template: `skills/${skill}/SKILL.md.ejs`, context });
  }
  files.push(...SCRIPTS.map((s) => ({ dest: `.claude/skills/${s}`, copy: `skills/${s}` })));
  for (const skill of a.skills) {
    files.push({
      dest: `.claude/skills/${skill}/SKILL.md`,
      template: 'skills/extra/SKILL.md.ejs',
      context: { ...context, skill },
    });
  }
  if (a.db) files.push({ dest: 'db/.gitkeep', text: '' });
  return files;
}
