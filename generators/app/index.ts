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
    const shared = {
      destinationRoot: this.destinationRoot(),
      composed: true,
      owner: a.name,
      skills: a.skills.join(','),
    };
    for (const key of [...(a.ipc ? ['ipc'] : []), ...(a['agent-tests'] ? ['agent-tests'] : [])]) {
      await this.composeWith(this.composable(key), { generatorOptions: shared as never });
    }
  }

  /**
   * The namespace when the environment has it (yo's lookup and `puruto new` register
   * ours, so the registered class is used), else the sibling file (e.g. in tests).
   */
  private composable(key: string): string {
    const ns = `puruto:${key}`;
    const env = this.env as unknown as { getGeneratorMeta?(namespace: string): unknown };
    return env.getGeneratorMeta?.(ns) ? ns : sibling(key);
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
