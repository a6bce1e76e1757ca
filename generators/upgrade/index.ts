import path from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { camel, rejectUnknownOptions } from '../shared/unknown-options.js';
import { upgrade, type UpgradeMode } from '../../lib/upgrade/index.js';
import { formatUpgrade } from '../../lib/upgrade/format.js';
import { isVersionShaped } from '../../lib/upgrade/versions.js';
import { generatorArtifacts } from '../shared/artifacts.js';
import { PurutoError } from '../shared/errors.js';
import { UPGRADE_OPTIONS, upgradeHelp } from './questions.js';

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
    for (const o of UPGRADE_OPTIONS)
      this.option(o.name, { type: o.boolean ? Boolean : String, description: o.description });
  }

  override help(): string {
    return upgradeHelp('yo');
  }

  initializing(): void {
    rejectUnknownOptions(this);
  }

  writing(): void {
    const opt = (name: string): unknown => this.options[name] ?? this.options[camel(name)];
    const target = opt('target-version');
    if (target !== undefined && (typeof target !== 'string' || !isVersionShaped(target))) {
      throw new PurutoError(`--target-version expects a version like 0.2.0, got ${JSON.stringify(target)}`, 2);
    }
    const check = opt('check') === true;
    const mode: UpgradeMode = opt('plan') === true ? 'plan' : opt('dry-run') === true || check ? 'dry-run' : 'apply';
    const given = this.options['path'];
    const outcome = upgrade({
      path: typeof given === 'string' ? path.resolve(this.env.cwd, given) : this.destinationRoot(),
      ...(typeof target === 'string' ? { targetVersion: target } : {}),
      mode,
      allowDirty: opt('allow-dirty') === true,
      artifacts: generatorArtifacts,
    });
    if (!outcome.ok) throw new PurutoError(outcome.message, 1);
    const text =
      opt('json') === true
        ? JSON.stringify(outcome.report, null, 2)
        : formatUpgrade(outcome.report, outcome.kind, mode, check);
    process.stdout.write(`${text}\n`);
    if (check && outcome.report.plan.length > 0) {
      throw new PurutoError(`upgrade pending: ${outcome.report.current_version} → ${outcome.report.target_version}`, 1);
    }
  }
}
