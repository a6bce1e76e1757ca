import { NewRepoGenerator } from '../shared/base.js';
import type { PlannedFile } from '../shared/spec.js';
import { spec, type DataAnswers } from './questions.js';
import { dataFiles } from './files.js';

/** `yo puruto:data`: puruto-data, the private data vault (SPEC §8). */
export default class DataGenerator extends NewRepoGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, spec);
  }

  protected plan(): PlannedFile[] {
    return dataFiles(this.answers as DataAnswers);
  }
}
