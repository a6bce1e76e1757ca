import { kindGenerator } from '../shared/kind-generator.js';
import kind from './kind.js';

/** `yo puruto:cron`: puruto-cron, the local scheduler (SPEC §8). */
export default kindGenerator(kind);
