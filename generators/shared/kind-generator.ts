/**
 * The generator class of a kind, made from its declaration (generators/<key>/kind.ts):
 * `generators/<key>/index.ts` is `export default kindGenerator(kind)`, which is what yo
 * finds, and classes.ts / puruto:init ask for the same class object (one per
 * declaration), so `puruto new`, yo and init register and compose one class per kind.
 */
import { fileURLToPath } from 'node:url';
import { NewRepoGenerator } from './base.js';
import { newRepoSpec, type AnyDeclaration } from './new-repo-spec.js';
import type { PlannedFile } from './spec.js';

/** The flow of every kind (base.ts), driven by the declaration its subclass sets. */
export class KindGenerator extends NewRepoGenerator {
  /** Set by kindGenerator on the class of each kind. */
  static declaration: AnyDeclaration;

  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, newRepoSpec((new.target as typeof KindGenerator).declaration));
  }

  private get declaration(): AnyDeclaration {
    return (this.constructor as typeof KindGenerator).declaration;
  }

  /** The add-ons its answers ask for (the app's ipc and agent-tests), composed into this repo. */
  protected override async composeAddOns(): Promise<void> {
    const keys = this.declaration.addOns?.(this.answers as never) ?? [];
    const a = this.answers;
    const shared = {
      destinationRoot: this.destinationRoot(),
      composed: true,
      owner: a['name'],
      skills: Array.isArray(a['skills']) ? a['skills'].join(',') : '',
    };
    for (const key of keys) await this.composeWith(this.composable(key), { generatorOptions: shared as never });
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
    return this.declaration.plan(this.answers as never);
  }
}

export type KindGeneratorClass = typeof KindGenerator;

const classes = new WeakMap<AnyDeclaration, KindGeneratorClass>();

/** The one generator class of a kind declaration. */
export function kindGenerator(declaration: AnyDeclaration): KindGeneratorClass {
  let known = classes.get(declaration);
  if (!known) {
    known = class extends KindGenerator {
      static override declaration = declaration;
    };
    classes.set(declaration, known);
  }
  return known;
}

/** Path of a sibling generator's entry, .ts under sources, .js when compiled. */
function sibling(name: string): string {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return fileURLToPath(new URL(`../${name}/index.${ext}`, import.meta.url));
}
