import path from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { givenOption, rejectUnknownOptions } from '../shared/unknown-options.js';
import { upgrade } from '../../lib/upgrade/index.js';
import { formatUpgrade } from '../../lib/upgrade/format.js';
import { declareOptions } from '../../lib/options/yo.js';
import { generatorArtifacts } from '../shared/artifacts.js';
import { PurutoError } from '../shared/errors.js';
import { UPGRADE_OPTIONS, upgradeHelp, upgradeRequest } from './questions.js';

/**
 * `yo puruto:upgrade [path]`: the same upgrade as `puruto upgrade`, from lib/upgrade.
 * It writes through lib/upgrade (all or nothing), not through Yeoman's mem-fs, so the
 * plan, the kept files and the JSON are exactly the CLI's.
 */
export default class UpgradeGenerator extends Generator<
  Record<string, unknown>,
  BaseOptions & Record<string, unknown>
> {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options as never);
    this.argument('path', { type: String, required: false, description: 'the Puruto to upgrade (default: this one)' });
    declareOptions(this, UPGRADE_OPTIONS);
  }

  override help(): string {
    return upgradeHelp('yo');
  }

  initializing(): void {
    rejectUnknownOptions(this);
  }

  writing(): void {
    const opt = (name: string): unknown => givenOption(this.options, name);
    const asked = upgradeRequest(opt);
    if (!asked.ok) throw new PurutoError(asked.message, 2);
    const { mode, check, json, allowDirty, targetVersion } = asked.request;
    const given = this.options['path'];
    const outcome = upgrade({
      path: typeof given === 'string' ? path.resolve(this.env.cwd, given) : this.destinationRoot(),
      ...(targetVersion !== undefined ? { targetVersion } : {}),
      mode,
      allowDirty,
      artifacts: generatorArtifacts,
    });
    if (!outcome.ok) throw new PurutoError(outcome.message, 1);
    const text = json
      ? JSON.stringify(outcome.report, null, 2)
      : formatUpgrade(outcome.report, outcome.kind, mode, check);
    process.stdout.write(`${text}\n`);
    if (check && outcome.report.plan.length > 0) {
      throw new PurutoError(`upgrade pending: ${outcome.report.current_version} → ${outcome.report.target_version}`, 1);
    }
  }
}
