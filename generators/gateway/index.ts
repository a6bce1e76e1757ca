import { NewRepoGenerator } from '../shared/base.js';
import type { PlannedFile } from '../shared/spec.js';
import { spec, type GatewayAnswers } from './questions.js';
import { gatewayFiles } from './files.js';

/** `yo puruto:gateway`: puruto-gateway, the local REST API (SPEC §8). */
export default class GatewayGenerator extends NewRepoGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options, spec);
  }

  protected plan(): PlannedFile[] {
    return gatewayFiles(this.answers as GatewayAnswers);
  }
}
