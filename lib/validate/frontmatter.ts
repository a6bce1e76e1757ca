/**
 * SKILL.md frontmatter: parse (`---` YAML `---` at the top) and check against the Agent
 * Skills specification plus the Puruto fields. Pure functions on strings.
 */
import { load } from 'js-yaml';

export type ParsedFrontmatter = { ok: true; data: Record<string, unknown> } | { ok: false; problem: string };

export const SKILL_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_NAME = 64;
export const MAX_DESCRIPTION = 1024;
export const MAX_COMPATIBILITY = 500;

const OPEN_FENCE = /^\uFEFF?---[ \t]*\r?\n/;

// Generated repos share identical frontmatter text: parse each distinct text once.
const parseCache = new Map<string, ParsedFrontmatter>();
const PARSE_CACHE_MAX = 4096;

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function parseYaml(yaml: string): ParsedFrontmatter {
  if (yaml.trim() === '')
    return {
      ok: false,
      problem: 'the frontmatter between the `---` lines is empty; add name, description and user-invocable',
    };
  let data: unknown;
  try {
    data = load(yaml);
  } catch (error) {
    const reason = String((error as Error).message ?? error).split('\n')[0];
    return {
      ok: false,
      problem: `the frontmatter is not valid YAML (${reason}); fix the YAML between the \`---\` lines`,
    };
  }
  if (!isMapping(data))
    return {
      ok: false,
      problem: 'the frontmatter must be a YAML mapping of `key: value` lines (name, description, user-invocable, ...)',
    };
  return { ok: true, data };
}

/** Split a SKILL.md into its frontmatter mapping; tolerant of a BOM and CRLF. */
export function parseFrontmatter(text: string): ParsedFrontmatter {
  const open = OPEN_FENCE.exec(text);
  if (open === null) {
    return {
      ok: false,
      problem:
        'it does not start with a `---` frontmatter block; begin the file with `---`, the YAML fields (name, ' +
        'description, user-invocable), then `---`',
    };
  }
  const rest = text.slice(open[0].length);
  // An empty frontmatter closes right away ("---\n---").
  const close = /^---[ \t]*(?:\r?\n|$)/.test(rest) ? { index: 0 } : /\n---[ \t]*(?:\r?\n|$)/.exec(rest);
  if (close === null)
    return { ok: false, problem: 'the frontmatter is not closed; add a line `---` after the YAML fields' };
  const yaml = rest.slice(0, close.index).replace(/\r\n/g, '\n').replace(/\r$/, '');
  let parsed = parseCache.get(yaml);
  if (parsed === undefined) {
    parsed = parseYaml(yaml);
    if (parseCache.size >= PARSE_CACHE_MAX) parseCache.clear();
    parseCache.set(yaml, parsed);
  }
  return parsed;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function checkName(name: unknown): string[] {
  if (name === undefined || name === null)
    return ['`name` is missing: add `name: <folder name>` (lowercase letters, digits, hyphens)'];
  if (typeof name !== 'string')
    return [`\`name\` must be a string, got ${typeName(name)}: write \`name: <folder name>\``];
  if (name.length === 0 || name.length > MAX_NAME)
    return [`\`name\` must be 1–${MAX_NAME} characters (got ${name.length})`];
  if (!SKILL_NAME_PATTERN.test(name)) {
    return [
      `\`name\` "${name}" must use only lowercase letters, digits and single hyphens, ` +
        `not starting or ending with a hyphen (e.g. \`my-skill\`)`,
    ];
  }
  return [];
}

function checkDescription(description: unknown): string[] {
  if (description === undefined || description === null)
    return ['`description` is missing: add a one-line `description:` saying what the skill does and when to use it'];
  if (typeof description !== 'string') return [`\`description\` must be a string, got ${typeName(description)}`];
  const text = description.trim();
  if (text === '') return ['`description` is empty: say in one line what the skill does and when to use it'];
  const problems: string[] = [];
  if (description.length > MAX_DESCRIPTION)
    problems.push(`\`description\` is ${description.length} characters; shorten it to at most ${MAX_DESCRIPTION}`);
  if (/[\r\n]/.test(text)) problems.push('`description` must be a single line; join its lines');
  return problems;
}

function checkUserInvocable(value: unknown): string[] {
  if (value === undefined)
    return ['`user-invocable` is missing: add `user-invocable: true` (or `false` for skills only the agent uses)'];
  if (typeof value !== 'boolean') {
    return [
      `\`user-invocable\` must be a boolean, got ${typeName(value)}: ` +
        `write \`user-invocable: true\` or \`user-invocable: false\` without quotes`,
    ];
  }
  return [];
}

function checkOptional(data: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const tools = data['allowed-tools'];
  if (
    tools !== undefined &&
    typeof tools !== 'string' &&
    !(Array.isArray(tools) && tools.every((t) => typeof t === 'string'))
  ) {
    problems.push('`allowed-tools` must be a YAML list of tool names (e.g. `allowed-tools: [Read, Write, Bash]`)');
  }
  const license = data['license'];
  if (license !== undefined && typeof license !== 'string')
    problems.push(`\`license\` must be a string, got ${typeName(license)}`);
  const compat = data['compatibility'];
  if (compat !== undefined) {
    if (typeof compat !== 'string') problems.push(`\`compatibility\` must be a string, got ${typeName(compat)}`);
    else if (compat.length > MAX_COMPATIBILITY)
      problems.push(`\`compatibility\` is ${compat.length} characters; shorten it to at most ${MAX_COMPATIBILITY}`);
  }
  const metadata = data['metadata'];
  if (metadata !== undefined) {
    if (!isMapping(metadata))
      problems.push(`\`metadata\` must be a mapping of string keys to string values, got ${typeName(metadata)}`);
    else {
      const bad = Object.entries(metadata)
        .filter(([, v]) => typeof v !== 'string')
        .map(([k]) => k);
      if (bad.length > 0) problems.push(`\`metadata\` values must be strings (quote them): ${bad.join(', ')}`);
    }
  }
  return problems;
}

/** Every problem of a parsed frontmatter except the folder-name match. */
export function checkFrontmatter(data: Record<string, unknown>): string[] {
  return [
    ...checkName(data['name']),
    ...checkDescription(data['description']),
    ...checkUserInvocable(data['user-invocable']),
    ...checkOptional(data),
  ];
}
