// Types of dist/lib/schemas/standalone.js, which scripts/build-schemas.mjs generates
// (ajv standalone code). It does not exist beside the TypeScript sources.
import type { RawValidator } from './types.js';

export declare const ipc: RawValidator;
export declare const jobs: RawValidator;
export declare const channels: RawValidator;
export declare const registry: RawValidator;
