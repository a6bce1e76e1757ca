import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RUNTIME_DIR } from '../shared/runtime-files.js';

/**
 * The agent adapters as the generated docs show them: puruto_runtime/adapters.json, the table
 * the runtime package exports from its adapter modules (`python3 -m puruto_runtime.facts` writes
 * it; its pytest fails when file and modules disagree), so .env.example, the READMEs and `--help`
 * never keep a list of their own. `python3 invoker.py --adapters` prints the same facts.
 */
export interface AdapterFact {
  name: string;
  binary: string;
  rules: string;
  skills: string;
  syntax: string;
  permissions: string;
  setup: string;
  auto: boolean;
}

export const ADAPTERS_JSON = path.join(RUNTIME_DIR, 'adapters.json');

const FIELDS = ['name', 'binary', 'rules', 'skills', 'syntax', 'permissions', 'setup'] as const;

/** The facts of adapters.json, each row checked: a row without a doc field is refused. */
export function parseAdapterFacts(text: string): AdapterFact[] {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) throw new Error('adapters.json must hold a list of adapters');
  return data.map((row: unknown, i) => {
    if (typeof row !== 'object' || row === null) throw new Error(`adapters.json: row ${i} is not an object`);
    const r = row as Record<string, unknown>;
    for (const field of FIELDS)
      if (typeof r[field] !== 'string') throw new Error(`adapters.json: row ${i} has no ${field} (a string)`);
    if (typeof r['auto'] !== 'boolean') throw new Error(`adapters.json: row ${i} has no auto (true or false)`);
    const fact = { auto: r['auto'] } as Record<string, string | boolean>;
    for (const field of FIELDS) fact[field] = r[field] as string;
    return fact as unknown as AdapterFact;
  });
}

let cached: AdapterFact[] | undefined;

/** The adapters of the runtime package this generator ships. */
export function adapterFacts(): AdapterFact[] {
  cached ??= parseAdapterFacts(readFileSync(ADAPTERS_JSON, 'utf8'));
  return cached;
}

/** `claude, codex, gemini, opencode, command or stub`. */
export function adapterList(facts: AdapterFact[] = adapterFacts()): string {
  const names = facts.map((f) => f.name);
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** The CLIs auto-detection tries, in order. */
export function autoAgents(facts: AdapterFact[] = adapterFacts()): string[] {
  return facts.filter((f) => f.auto).map((f) => f.binary);
}

/** The README table: agent × rules file × skills folder × skill syntax × permissions × setup. */
export function adapterTable(facts: AdapterFact[] = adapterFacts()): string {
  const rows = facts
    .filter((f) => f.auto)
    .map(
      (f) =>
        `| \`${f.name}\` | ${f.rules} | \`${f.skills}\` | \`${f.syntax.replace('{skill}', '<skill>')}\` | ` +
        `${f.permissions} | ${f.setup} |`,
    );
  return [
    '| agent | rules file read | skills folder | skill syntax | permissions from `allowed-tools` | set once |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
