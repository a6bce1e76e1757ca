import { fileURLToPath } from 'node:url';
import { NewRepoGenerator } from '../shared/base.js';
import type { PlannedFile } from '../shared/spec.js';
import { spec, type AppAnswers } from './questions.js';
import { appFiles } from './files.js';

/** `yo puruto`: a standard Puruto (SPEC §2–3). */
export default class AppGenerator extends NewRepoGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, spec);
  }

  protected override async composeAddOns(): Promise<void> {
    const a = this.answers as AppAnswers;
    const shared = { destinationRoot: this.destinationRoot(), composed: true, owner: a.name };
    // Compose by path so it works under yo, `puruto new` and tests alike.
    if (a.ipc) await this.composeWith(sibling('ipc'), { generatorOptions: shared as never });
    if (a['agent-tests']) await this.composeWith(sibling('agent-tests'), { generatorOptions: shared as never });
  }

  protected plan(): PlannedFile[] {
    return appFiles(this.answers as AppAnswers);
  }
}

/** Path of a sibling generator's entry, .ts under sources, .js when compiled. */
function sibling(name: string): string {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return fileURLToPath(new URL(`../${name}/index.${ext}`, import.meta.url));
}
