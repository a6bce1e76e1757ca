import { STANDARD_VERSION } from '../../lib/standard/version.js';
import { adapterList, autoAgents } from '../ipc/adapters.js';

/** Values every template of every kind may use; `agents` comes from invoker.py's adapter table. */
export function commonContext(name: string, description: string): Record<string, unknown> {
  return {
    name,
    description,
    version: STANDARD_VERSION,
    title: titleOf(name),
    agents: { list: adapterList(), auto: autoAgents().join(', ') },
  };
}

/** "puruto-home-budget" → "Home Budget". */
export function titleOf(name: string): string {
  const base = name.startsWith('puruto-') ? name.slice('puruto-'.length) : name;
  return base
    .split('-')
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * Gemini CLI reads GEMINI.md unless told otherwise: point it at AGENTS.md too. It retries a
 * failing chat request 10 times with backoff (minutes): 2 attempts let an API error reach the
 * invoker within a call's timeout (only a settings file can set this).
 */
export function geminiSettings(): unknown {
  return { context: { fileName: ['AGENTS.md', 'GEMINI.md'] }, general: { maxAttempts: 2 } };
}
