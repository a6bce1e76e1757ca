import { readFileSync } from 'node:fs';
import { INVOKER_TEMPLATE } from './files.js';

/**
 * The agent adapters as the generated docs show them, read from the one adapter table of
 * invoker.py (its `ADAPTERS = (...)` rows of `Adapter(name="...", ...)`), so .env.example,
 * the READMEs and `--help` never keep a list of their own. `python3 invoker.py --adapters`
 * prints the same facts; a test checks both agree.
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

const FIELDS = ['name', 'binary', 'rules', 'skills', 'syntax', 'permissions', 'setup'] as const;

export function parseAdapterTable(source: string): AdapterFact[] {
  const table = /^ADAPTERS = \(\n([\s\S]*?)^\)\n/m.exec(source);
  if (!table) throw new Error('invoker.py has no `ADAPTERS = (...)` table');
  return table[1]!
    .split(/^\s*Adapter\(/m)
    .slice(1)
    .map((row) => {
      const fact: Record<string, string | boolean> = { auto: !/\bauto=False\b/.test(row) };
      for (const field of FIELDS) {
        // One string literal, or adjacent literals Python joins ("a " "b"), in either quotes.
        const literal = `(?:"(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*')`;
        const m = new RegExp(`\\b${field}=(${literal}(?:\\s*${literal})*)`).exec(row);
        if (!m) throw new Error(`invoker.py: an adapter row has no ${field}="..."`);
        const parts = m[1]!.match(new RegExp(literal, 'g'))!;
        fact[field] = parts.map((q) => q.slice(1, -1).replace(/\\(.)/g, '$1')).join('');
      }
      return fact as unknown as AdapterFact;
    });
}

let cached: AdapterFact[] | undefined;

/** The adapters of the invoker.py this generator ships. */
export function adapterFacts(): AdapterFact[] {
  cached ??= parseAdapterTable(readFileSync(INVOKER_TEMPLATE, 'utf8'));
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
