/**
 * Schema loader. Prefers the precompiled `standalone.js` next to this file (written by
 * scripts/build-schemas.mjs into dist/); when it is absent (running the TypeScript
 * sources under tsx) it compiles the same definitions with ajv. Either way the
 * validators are built once per process.
 */
import type { SchemaId } from './definitions.js';
import type { RawValidator, SchemaError } from './types.js';

export type { SchemaId } from './definitions.js';
export type { SchemaError, RawValidator } from './types.js';

export type SchemaSource = 'standalone' | 'ajv';
export type SchemaValidate = (data: unknown) => SchemaError[];

interface Loaded {
  source: SchemaSource;
  validators: Record<SchemaId, RawValidator>;
}

let loading: Promise<Loaded> | undefined;

async function loadStandalone(): Promise<Loaded | undefined> {
  // A literal specifier, so the CLI bundle includes it (types: standalone.d.ts).
  try {
    const mod: Record<SchemaId, RawValidator> = await import('./standalone.js');
    return { source: 'standalone', validators: mod };
  } catch {
    return undefined;
  }
}

async function loadCompiled(): Promise<Loaded> {
  const { compileAll } = await import('./compile.js');
  return { source: 'ajv', validators: await compileAll() };
}

/** Load the validators; `prefer: 'ajv'` skips the standalone module (tests). */
export function loadSchemas(prefer?: SchemaSource): Promise<Loaded> {
  if (prefer === 'ajv') return loadCompiled();
  loading ??= loadStandalone().then((found) => found ?? loadCompiled());
  return loading;
}

/** Wrap a raw validator: returns the (copied) error list, empty when valid. */
export function asValidate(raw: RawValidator): SchemaValidate {
  return (data) => (raw(data) ? [] : [...(raw.errors ?? [])]);
}

/** The validator of one schema; errors are an empty array when the data is valid. */
export async function getValidator(id: SchemaId): Promise<SchemaValidate> {
  const { validators } = await loadSchemas();
  return asValidate(validators[id]);
}

/** Which implementation is in use in this process (for diagnostics and tests). */
export async function schemaSource(): Promise<SchemaSource> {
  return (await loadSchemas()).source;
}

export {
  CHANNEL_NAME_PATTERN,
  TELEGRAM_BUILTIN_COMMANDS,
  JOB_ID_PATTERN,
  NOT_BLANK_PATTERN,
  REGISTRY_NAME_MAX,
  REGISTRY_NAME_PATTERN,
  REPO_NAME_PATTERN,
  SKILL_NAME_PATTERN,
  VAULT_FOLDER_PATTERN,
  ZONE_NAME_PATTERN,
} from './definitions.js';
