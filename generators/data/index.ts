import { kindGenerator } from '../shared/kind-generator.js';
import kind from './kind.js';

/** `yo puruto:data`: puruto-data, the private data vault (SPEC §8). */
export default kindGenerator(kind);
