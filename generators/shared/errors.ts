/**
 * An error that ends a generator run with a documented exit code: yo and the
 * `puruto` command both use a numeric `code` as the process exit code.
 * 1 = business/usage error (bad name, destination exists, missing answers,
 *     validation failed); 2 = argument error (unknown/invalid flag, bad --answers file);
 *     3 = the user's merge is needed (`yo puruto:update`: git conflicts or .puruto-new files).
 *   130 = cancelled with Ctrl-C at a prompt, nothing written.
 */
export class PurutoError extends Error {
  readonly code: 1 | 2 | 3 | 130;
  constructor(message: string, code: 1 | 2 | 3 | 130 = 1) {
    super(message);
    this.name = 'PurutoError';
    this.code = code;
  }
}
