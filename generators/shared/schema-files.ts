import { SCHEMAS, type SchemaId } from '../../lib/schemas/definitions.js';
import { runtimeTest } from './runtime-files.js';
import type { PlannedFile } from './spec.js';
import { sharedTemplate } from './templates-path.js';

/**
 * Where a generated repo keeps the JSON Schemas its runtime reads (json_schema.py SCHEMAS): a dot folder
 * beside .puruto-ipc.json and .puruto-standard-version, never taken for data (the vault's root holds data).
 */
export const SCHEMA_DIR = '.puruto-schemas';

export function schemaDest(id: SchemaId): string {
  return `${SCHEMA_DIR}/${id}.schema.json`;
}

/**
 * The JSON Schemas of `ids` exactly as `puruto validate` applies them (lib/schemas, one source)
 * plus json_schema.py, the checker the runtime reads them with: an entry point of the vendored
 * puruto_runtime package (every kind has it: commonFiles); `tests` adds the checker's pytest file
 * (the package's own, python/tests) for kinds that ship a test suite.
 */
export function schemaFiles(ids: readonly SchemaId[], tests: boolean): PlannedFile[] {
  return [
    { dest: 'json_schema.py', copy: sharedTemplate('json_schema.py') },
    ...(tests ? [{ dest: 'tests/test_json_schema.py', copy: runtimeTest('test_json_schema.py') }] : []),
    ...ids.map((id): PlannedFile => ({ dest: schemaDest(id), json: SCHEMAS[id] })),
  ];
}
