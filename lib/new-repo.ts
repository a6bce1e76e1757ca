import { destinationProblem, destinationState, resolveDestination, type Destination } from './destination.js';
import { nameOwnedElsewhere } from './names.js';
import { gather } from './questions/gather.js';
import type { Answers, Question, Table } from './questions/table.js';
import { KINDS, type KindName } from './standard/kinds.js';

export interface NewRepoRequest {
  table: Table;
  kind: KindName;
  flags: Record<string, unknown>;
  file?: Record<string, unknown> | undefined;
  interactive: boolean;
  cwd: string;
  home: string;
  destination?: string | undefined;
}

export type NewRepoCheck =
  | { ok: true; answers: Answers; pending: Question[]; destination?: Destination }
  | { ok: false; code: 1 | 2; message: string };

/** The commands that create a repo of this kind, for hints. */
export function newRepoCommands(kind: KindName): string[] {
  const gen = KINDS[kind].generator;
  return gen === 'app' ? ['puruto new', 'yo puruto'] : [`puruto new ${gen}`, `yo puruto:${gen}`];
}

/**
 * Everything that can refuse a new repo before a file is written: the answers (types,
 * validation, names owned by another kind, missing answers without a terminal) and,
 * once the name is known, the destination. `puruto new` runs it before loading Yeoman;
 * the generators run the same checks.
 */
export async function checkNewRepo(req: NewRepoRequest): Promise<NewRepoCheck> {
  const got = gather({
    table: req.table,
    flags: req.flags,
    file: req.file,
    interactive: req.interactive,
    commands: newRepoCommands(req.kind),
    refine: (a) => nameOwnedElsewhere(a['name'], req.kind),
  });
  if (!got.ok) return got;
  const name = got.answers['name'];
  if (typeof name !== 'string') return got;
  const where = await checkDestination({ name, cwd: req.cwd, home: req.home, explicit: req.destination });
  return where.ok ? { ...got, destination: where.destination } : where;
}

/** Resolves the destination of a named repo and refuses one that cannot take it. */
export async function checkDestination(input: {
  name: string;
  cwd: string;
  home: string;
  explicit?: string | undefined;
}): Promise<{ ok: true; destination: Destination } | { ok: false; code: 1; message: string }> {
  const destination = await resolveDestination(input);
  const problem = destinationProblem(destination, await destinationState(destination.path));
  return problem ? { ok: false, code: 1, message: problem } : { ok: true, destination };
}
