/**
 * The registry of Puruto kinds. Adding a kind = one entry here + its generator.
 * Kind strings are the ones the original validator printed: `standard` or the
 * ecosystem repo name.
 */
export const CORE_SKILLS = ['init', 'help', 'list', 'status'] as const;

export type KindName = 'standard' | 'puruto-data' | 'puruto-telegram' | 'puruto-cron' | 'puruto-gateway';

export interface KindSpec {
  readonly kind: KindName;
  /** Yeoman sub-generator that creates it (`yo puruto:<generator>`). */
  readonly generator: string;
  /** Finding code used when one of its required components is missing. */
  readonly missingCode: string | null;
  /** Files (relative, posix) the kind requires besides the standard minimum. */
  readonly requiredFiles: readonly string[];
  /** Folders the kind requires. */
  readonly requiredDirs: readonly string[];
  /** Skills the kind requires besides the core four. */
  readonly requiredSkills: readonly string[];
  /** One line for help texts. */
  readonly summary: string;
}

const skill = (name: string): string => `.claude/skills/${name}/SKILL.md`;

export const KINDS: Readonly<Record<KindName, KindSpec>> = {
  standard: {
    kind: 'standard',
    generator: 'app',
    missingCode: null,
    requiredFiles: [],
    requiredDirs: [],
    requiredSkills: [],
    summary: 'a domain Puruto (your app)',
  },
  'puruto-data': {
    kind: 'puruto-data',
    generator: 'data',
    missingCode: 'missing-data-file',
    requiredFiles: ['registry.json', 'shared/.gitkeep'],
    requiredDirs: [],
    requiredSkills: ['register'],
    summary: 'the private data vault of the ecosystem',
  },
  'puruto-telegram': {
    kind: 'puruto-telegram',
    generator: 'telegram',
    missingCode: 'missing-telegram-file',
    requiredFiles: ['bot.py', 'router.py', 'db.py', 'inbox.py', '.channels.json', 'db/.gitkeep', 'inbox/.gitkeep'],
    requiredDirs: [],
    requiredSkills: ['add-channel', 'drain-inbox'],
    summary: 'the Telegram connector',
  },
  'puruto-cron': {
    kind: 'puruto-cron',
    generator: 'cron',
    missingCode: 'missing-cron-file',
    requiredFiles: ['main.py', 'db.py', 'scheduler.py', 'executor.py', 'invoker.py', 'notifier.py', '.jobs.json'],
    requiredDirs: ['db', 'runs', 'notifications'],
    requiredSkills: ['register-job', 'pause-job', 'resume-job', 'run-now', 'logs'],
    summary: 'the local scheduler',
  },
  'puruto-gateway': {
    kind: 'puruto-gateway',
    generator: 'gateway',
    missingCode: 'missing-gateway-file',
    requiredFiles: ['app.py', 'routes.py', 'auth.py', 'registry.py', 'invoker.py'],
    requiredDirs: [],
    requiredSkills: [],
    summary: 'the local REST API',
  },
};

export const KIND_NAMES = Object.keys(KINDS) as KindName[];

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && Object.hasOwn(KINDS, value);
}

/** Kind selected by a repo (folder) name: the four ecosystem names, else standard. */
export function kindFromName(name: string): KindName {
  return name !== 'standard' && isKindName(name) ? name : 'standard';
}

export function skillPath(name: string): string {
  return skill(name);
}

/** Every required component of a kind (files, dirs, skills) as relative paths. */
export function kindComponents(kind: KindName): { path: string; dir: boolean }[] {
  const spec = KINDS[kind];
  return [
    ...spec.requiredFiles.map((path) => ({ path, dir: false })),
    ...spec.requiredDirs.map((path) => ({ path, dir: true })),
    ...spec.requiredSkills.map((name) => ({ path: skill(name), dir: false })),
  ];
}
