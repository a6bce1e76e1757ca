import { NewRepoGenerator } from '../shared/base.js';
import type { PlannedFile } from '../shared/spec.js';
import { spec, type TelegramAnswers } from './questions.js';
import { telegramFiles } from './files.js';

/** `yo puruto:telegram`: puruto-telegram, the mobile connector (SPEC §8). */
export default class TelegramGenerator extends NewRepoGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, spec);
  }

  protected plan(): PlannedFile[] {
    return telegramFiles(this.answers as TelegramAnswers);
  }
}
