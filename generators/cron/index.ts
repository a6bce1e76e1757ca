import { NewRepoGenerator } from '../shared/base.js';
import type { PlannedFile } from '../shared/spec.js';
import { spec, type CronAnswers } from './questions.js';
import { cronFiles } from './files.js';

/** `yo puruto:cron`: puruto-cron, the local scheduler (SPEC §8). */
export default class CronGenerator extends NewRepoGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, spec);
  }

  protected plan(): PlannedFile[] {
    return cronFiles(this.answers as CronAnswers);
  }
}
