/**
 * [ours] Turn ajv errors into readable, actionable `schema-violation` findings.
 */
import { ours, type Finding } from '../standard/findings.js';
import {
  CHANNEL_NAME_PATTERN,
  JOB_ID_PATTERN,
  NOT_BLANK_PATTERN,
  REGISTRY_NAME_PATTERN,
  REPO_NAME_PATTERN,
  SKILL_NAME_PATTERN,
  VAULT_FOLDER_PATTERN,
  ZONE_NAME_PATTERN,
  type SchemaError,
} from '../schemas/index.js';

/** More problems than this in one file are summed up in a last finding. */
export const MAX_SCHEMA_FINDINGS = 20;

const TYPE_TEXT: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false, without quotes)',
  object: 'an object',
  array: 'a list (JSON array)',
  null: 'null',
};

const PATTERN_TEXT: Record<string, string> = {
  [JOB_ID_PATTERN]: 'start with a letter or digit and use only letters, digits, "_", "." and "-"',
  [REPO_NAME_PATTERN]:
    'be a repo folder name: letters, digits, ".", "_" and "-", not starting with a dot or containing "/"',
  [REGISTRY_NAME_PATTERN]: 'be `puruto-<name>` in lowercase letters, digits and single hyphens',
  [VAULT_FOLDER_PATTERN]: 'be a plain folder name of the vault: letters, digits, ".", "_" and "-", without ".."',
  [CHANNEL_NAME_PATTERN]:
    'be a Puruto folder name of letters, digits, "-" and "_", at most 32 characters (it becomes a bot command)',
  [NOT_BLANK_PATTERN]: 'not be empty or only spaces',
  [SKILL_NAME_PATTERN]: 'be a skill name such as "status" (lowercase letters, digits, single hyphens)',
  [ZONE_NAME_PATTERN]: 'be an IANA time zone name such as "Europe/Madrid" or "UTC"',
};

/** Value at a JSON pointer (RFC 6901), or undefined. */
export function atPointer(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeList(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_TEXT[String(t)] ?? String(t)).join(' or ');
}

/** One sentence for one ajv error: "/jobs/0/timeout_sec must be an integer (got "10")". */
export function describeSchemaError(error: SchemaError, data: unknown): string {
  const ptr = error.instancePath;
  const where = ptr === '' ? 'the top level' : ptr;
  const value = atPointer(data, ptr);
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return (
        `${ptr}/${String(p['missingProperty'])} is required; ` +
        `add "${String(p['missingProperty'])}"${ptr === '' ? '' : ` to ${ptr}`}`
      );
    case 'type':
      return `${where} must be ${typeList(p['type'])} (got ${shown(value)})`;
    case 'pattern': {
      const text = PATTERN_TEXT[String(p['pattern'])] ?? `match the pattern ${String(p['pattern'])}`;
      return `${where} ${shown(value)} must ${text}`;
    }
    case 'minLength':
      return p['limit'] === 1 ? `${where} must not be empty` : `${where} ${error.message ?? 'is too short'}`;
    case 'uniqueItems':
      return (
        `${where} has duplicate items (#${String(p['j'])} and #${String(p['i'])} are both ` +
        `${shown(atPointer(data, `${ptr}/${String(p['i'])}`))}); remove the duplicate`
      );
    default:
      return `${where} ${error.message ?? `fails the "${error.keyword}" rule`} (got ${shown(value)})`;
  }
}

export function schemaFindings(
  file: string,
  errors: SchemaError[],
  data: unknown,
  strict: boolean,
  hint: string,
): Finding[] {
  const findings = errors
    .slice(0, MAX_SCHEMA_FINDINGS)
    .map((error) => ours('schema-violation', file, `${file}: ${describeSchemaError(error, data)}; ${hint}`, strict));
  if (errors.length > MAX_SCHEMA_FINDINGS) {
    findings.push(
      ours(
        'schema-violation',
        file,
        `${file}: ${errors.length - MAX_SCHEMA_FINDINGS} more schema problems not shown; ` +
          `fix the ones above and validate again`,
        strict,
      ),
    );
  }
  return findings;
}
