import { kindGenerator } from '../shared/kind-generator.js';
import kind from './kind.js';

/** `yo puruto:gateway`: puruto-gateway, the local REST API (SPEC §8). */
export default kindGenerator(kind);
