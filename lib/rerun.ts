/**
 * The answers of a re-run inside an existing Puruto: the ones stored in its
 * `.yo-rc.json` are the defaults, and a re-run only adds (extra skills, --ipc,
 * --agent-tests ...). Removing something or renaming the repo is refused with what to
 * do instead. Pure: values in, values out.
 */
import { coerce, check } from './questions/resolve.js';
import type { AnswerValue, Answers, Question, Table } from './questions/table.js';

export type RerunAnswers =
  { ok: true; answers: Answers; missing: Question[] } | { ok: false; code: 1; message: string };

/** A stored value in the question's type, or undefined when absent or unusable. */
function storedValue(q: Question, raw: unknown): AnswerValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  const c = coerce(q, raw);
  if ('error' in c || check(q, c.value) !== undefined) return undefined;
  return c.value;
}

/**
 * Merges the stored answers with the given ones (flags > --answers, already coerced and
 * validated): lists are unions, booleans can only be switched on, texts are replaced.
 * `root` names the repo in messages.
 */
export function rerunAnswers(
  table: Table,
  stored: Record<string, unknown>,
  given: Answers,
  root: string,
): RerunAnswers {
  const answers: Answers = {};
  const missing: Question[] = [];
  const refusals: string[] = [];
  for (const q of table) {
    const before = storedValue(q, stored[q.name]);
    const now = given[q.name];
    if (q.name === 'name') {
      if (before !== undefined && now !== undefined && now !== before) {
        refusals.push(
          `you are inside the Puruto ${String(before)} (${root}), and a re-run works on it: it keeps its name, so ` +
            `"${String(now)}" cannot be given here. ` +
            'To create a new repo, run the command outside this folder or pass --destination DIR.',
        );
      }
      const name = before ?? now;
      if (name === undefined) missing.push(q);
      else answers[q.name] = name;
      continue;
    }
    if (q.type === 'boolean') {
      if (before === true && now === false) {
        refusals.push(
          `--${q.name} is already on in ${root} and a re-run only adds: remove its files by hand to turn it off`,
        );
      }
      const value = before === true || now === true ? true : (now ?? before);
      if (value === undefined) missing.push(q);
      else answers[q.name] = value;
      continue;
    }
    if (q.type === 'list') {
      const union = [
        ...new Set([...((before as string[] | undefined) ?? []), ...((now as string[] | undefined) ?? [])]),
      ];
      const problem = check(q, union);
      if (problem) refusals.push(`${q.name}: ${problem}`);
      answers[q.name] = union;
      continue;
    }
    const value = now ?? before;
    if (value === undefined) missing.push(q);
    else answers[q.name] = value;
  }
  if (refusals.length) return { ok: false, code: 1, message: `${refusals.join('\n')}\nNothing was written.` };
  return { ok: true, answers, missing };
}
