import path from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { givenOption, rejectUnknownOptions } from '../shared/unknown-options.js';
import { update } from '../../lib/update/index.js';
import { formatUpdate } from '../../lib/update/format.js';
import { generatorVersion } from '../../lib/package-version.js';
import { renderRepo } from '../shared/rendering.js';
import { PurutoError } from '../shared/errors.js';
import { UPDATE_EXIT, YO_UPDATE_OPTIONS, updateHelp, updateRequest } from './questions.js';
import { declareOptions } from '../../lib/options/yo.js';

/**
 * `yo puruto:update [path]`: the same update as `puruto update`, from lib/update. It
 * writes through git (and lib/upgrade's draft), not through Yeoman's mem-fs.
 * --workspace is `puruto update`'s (one report over many repos).
 */
export default class UpdateGenerator extends Generator<Record<string, unknown>, BaseOptions & Record<string, unknown>> {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options as never);
    this.argument('path', { type: String, required: false, description: 'the Puruto to update (default: this one)' });
    declareOptions(this, YO_UPDATE_OPTIONS);
  }

  override help(): string {
    return updateHelp('yo');
  }

  initializing(): void {
    rejectUnknownOptions(this);
  }

  writing(): void {
    const opt = (name: string): unknown => givenOption(this.options, name);
    const given = this.options['path'];
    const { dryRun, adopt, json, force } = updateRequest(opt);
    const outcome = update({
      path: typeof given === 'string' ? path.resolve(this.env.cwd, given) : this.destinationRoot(),
      dryRun,
      adopt,
      force,
      generatorVersion: generatorVersion(),
      render: renderRepo,
    });
    if (!outcome.ok) throw new PurutoError(outcome.message, UPDATE_EXIT.failed);
    process.stdout.write(`${json ? JSON.stringify(outcome.report, null, 2) : formatUpdate(outcome.report)}\n`);
    if (outcome.report.status === 'conflicts' || outcome.report.status === 'side-by-side') {
      throw new PurutoError(
        `your merge is needed: ` +
          (outcome.report.conflicts.length
            ? `conflicts in ${outcome.report.conflicts.join(', ')}`
            : 'merge the .puruto-new files'),
        UPDATE_EXIT.merge,
      );
    }
  }
}
