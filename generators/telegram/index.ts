import { kindGenerator } from '../shared/kind-generator.js';
import kind from './kind.js';

/** `yo puruto:telegram`: puruto-telegram, the mobile connector (SPEC §8). */
export default kindGenerator(kind);
