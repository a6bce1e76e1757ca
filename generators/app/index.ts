import { kindGenerator } from '../shared/kind-generator.js';
import kind from './kind.js';

/** `yo puruto`: a standard Puruto (SPEC §2–3); it composes the ipc and agent-tests add-ons its answers ask for. */
export default kindGenerator(kind);
