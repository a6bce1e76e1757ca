import { nameSyntaxError } from '../../lib/name-rules.js';
import { checkSkillList } from '../shared/skill-names.js';
import type { AnswersOf, Table } from '../../lib/questions/table.js';

/** `yo puruto` / `puruto new`: a standard Puruto (SPEC §3 options). */
export const questions = [
  {
    name: 'name',
    type: 'string',
    message: 'Repo name (puruto-<name> recommended)',
    description: 'repo name: lowercase letters, digits and hyphens',
    positional: true,
    placeholder: 'puruto-notes',
    validate: (v: string) => nameSyntaxError(v),
  },
  {
    name: 'description',
    type: 'string',
    message: 'One-line description (what this Puruto does)',
    description: 'one line saying what this Puruto does',
    placeholder: 'text',
    validate: (v: string) =>
      v === ''
        ? 'a standard Puruto needs a description: say in one line what it does'
        : /[\r\n]/.test(v)
          ? 'the description must be a single line'
          : v.length > 1024
            ? 'the description is longer than 1024 characters'
            : undefined,
  },
  {
    name: 'db',
    type: 'boolean',
    message: 'Local SQLite database (db/)?',
    description: 'local SQLite database: db/.gitkeep and DB_PATH=db/data.db',
    default: true,
  },
  {
    name: 'skills',
    type: 'list',
    message: 'Extra skills (comma-separated, empty for none)',
    description: 'extra skills, each gets its own SKILL.md to fill in',
    default: [],
    placeholder: 'a,b',
    validate: (v: string[]) => checkSkillList(v),
  },
  {
    name: 'ipc',
    type: 'boolean',
    message: 'IPC: let this Puruto delegate to other Purutos (/call)?',
    description: 'add the IPC runtime (/call, .puruto-ipc.json, ipc.py, invoker.py)',
    default: false,
  },
  {
    name: 'agent-tests',
    type: 'boolean',
    message: 'Agent tests scaffold (tests/agent/)?',
    description: 'add the tests/agent/ scaffold (declarative cases, mock runner)',
    default: false,
  },
] as const satisfies Table;

export type AppAnswers = AnswersOf<typeof questions>;
