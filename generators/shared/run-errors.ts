/**
 * How a run of our generators ends when it refuses or is cancelled, the same under yo
 * and `puruto`: one line of ours (no "An error occured while running puruto:app#..."
 * wrapper, no "Error puruto notes" prefix), and a documented exit code (1, 2, or 130
 * for Ctrl-C at a prompt). The generators never exit the process, except under yo:
 * yo would print its own wrapper around the message, so there we print and exit.
 */
import path from 'node:path';
import { PurutoError } from './errors.js';

/** Exit code of a run cancelled with Ctrl-C (128 + SIGINT), like a shell reports it. */
export const CANCELLED = 130;
export const CANCELLED_MESSAGE = 'cancelled, nothing written';

/** Inquirer's Ctrl-C at a prompt ("User force closed the prompt with SIGINT"). */
export function isPromptCancel(error: unknown): boolean {
  const e = error as { name?: unknown } | undefined;
  return e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError';
}

/** Our refusals and a Ctrl-C as one PurutoError; anything else (a bug) is left as it is. */
export function asPurutoError(error: unknown): PurutoError | undefined {
  if (error instanceof PurutoError) return error;
  if (isPromptCancel(error)) return new PurutoError(CANCELLED_MESSAGE, CANCELLED);
  return undefined;
}

/** Whether this process is the `yo` command (its bin is `yo`, i.e. yo/lib/cli.js). */
export function isYoProcess(argv1: string | undefined = process.argv[1]): boolean {
  if (!argv1) return false;
  const parts = path.resolve(argv1).split(path.sep);
  return parts.at(-1) === 'yo' || (parts.at(-1) === 'cli.js' && parts.at(-2) === 'lib' && parts.at(-3) === 'yo');
}

interface Task {
  method: (...args: unknown[]) => unknown;
}

/**
 * Wraps a Yeoman task so a refusal never reaches Yeoman's logger: under yo it is
 * printed here (stderr, one message) and the process exits with its code (the exit
 * hook of lib/staging.ts removes any temporary folder); elsewhere it is rethrown for
 * the caller (`puruto new`, tests) to report.
 */
export function guardTask<T extends Task>(task: T): T {
  const method = task.method;
  return {
    ...task,
    async method(this: unknown, ...args: unknown[]) {
      try {
        return await method.apply(this, args);
      } catch (error) {
        const ours = asPurutoError(error);
        if (ours && isYoProcess()) {
          process.stderr.write(`${ours.message}\n`);
          process.exit(ours.code);
        }
        throw ours ?? error;
      }
    },
  };
}
