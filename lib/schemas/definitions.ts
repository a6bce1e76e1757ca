/**
 * JSON Schemas (draft-07, ajv 8) of the Puruto JSON files. Plain data, no ajv import:
 * the runtime loads either the precompiled `standalone.js` (written at build time by
 * scripts/build-schemas.mjs from these objects) or compiles them with ajv on demand.
 *
 * They only describe shapes. Checks the standard already reports with its own codes
 * (e.g. a missing `.puruto-ipc.json` key, `allowed_targets` not a list) are left out
 * on purpose so one problem never yields two findings.
 */

/** Options shared by the standalone build and the runtime fallback (same findings). */
export const AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  // `items`/`additionalProperties` without `type` are deliberate (see ipc below).
  strictTypes: false,
  // Count string length in UTF-16 units: avoids a runtime `require` in ESM output.
  unicode: false,
  logger: false,
} as const;

/** Folder name of a sibling repo: no path separators, no leading dot (never `..`). */
export const REPO_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
export const JOB_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]*$';
/** A registrable Puruto name (vault_store.NAME_RE, lib/registry.ts): puruto-<name>, single hyphens. */
export const REGISTRY_NAME_PATTERN = '^puruto-[a-z0-9]+(-[a-z0-9]+)*$';
export const REGISTRY_NAME_MAX = 64;
/** A vault folder (vault_store.folder_of): a plain folder name without "..". */
export const VAULT_FOLDER_PATTERN = '^(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._-]*$';
/**
 * A Telegram channel: a Puruto's folder name that is also a bot command (a-z, 0-9, _;
 * 32 at most once "-" becomes "_"), as puruto-telegram's db.py requires.
 */
export const CHANNEL_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$';
/**
 * The bot's own commands: a channel must not take one (db.py BUILTIN_COMMANDS;
 * test/runtime/telegram.parity.test.ts holds them together).
 */
export const TELEGRAM_BUILTIN_COMMANDS = ['start', 'help', 'list', 'status', 'cancel'] as const;

const stringList = { type: 'array', items: { type: 'string' } } as const;

export const ipcSchema = {
  $id: 'ipc',
  type: 'object',
  properties: {
    enabled: { type: 'boolean' },
    owner: { type: 'string' },
    max_hops: { type: 'integer', minimum: 0 },
    default_timeout_sec: { type: 'number', exclusiveMinimum: 0 },
    // The container types are std checks (ipc-config-invalid-type): only items here.
    allowed_targets: { items: { type: 'string' } },
    allowed_actions: { additionalProperties: stringList },
  },
} as const;

/** Not blank: at least one non-space character (as `sync-jobs` requires). */
export const NOT_BLANK_PATTERN = '\\S';
/** A skill name (Agent Skills rule), as a job's `action`; `message` is the reserved free-text action. */
export const SKILL_NAME_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** An IANA zone name's shape; that the zone exists is checked by the validator (Intl) and by sync-jobs (zoneinfo). */
export const ZONE_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$';
const DAY_SECONDS = 86400;

/**
 * The same verdict as puruto-cron's `sync-jobs` (scheduler.py validate_job);
 * test/runtime/cron.parity.test.ts holds them together.
 */
export const jobsSchema = {
  $id: 'jobs',
  type: 'object',
  required: ['jobs'],
  properties: {
    jobs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['job_id', 'puruto_target', 'schedule', 'prompt'],
        properties: {
          job_id: { type: 'string', pattern: JOB_ID_PATTERN, maxLength: 64 },
          puruto_target: { type: 'string', pattern: REPO_NAME_PATTERN },
          schedule: { type: 'string', pattern: NOT_BLANK_PATTERN },
          prompt: { type: 'string', pattern: NOT_BLANK_PATTERN },
          action: { type: 'string', pattern: SKILL_NAME_PATTERN, maxLength: 64 },
          enabled: { type: 'boolean' },
          notify_channel: { type: 'string', pattern: NOT_BLANK_PATTERN },
          timeout_sec: { type: 'integer', minimum: 1, maximum: DAY_SECONDS },
          max_retries: { type: 'integer', minimum: 0, maximum: 100 },
          retry_backoff_sec: { type: 'number', minimum: 0, maximum: DAY_SECONDS },
          timezone: { type: 'string', pattern: ZONE_NAME_PATTERN, maxLength: 64 },
          catch_up: { type: 'boolean' },
        },
      },
    },
  },
} as const;

export const channelsSchema = {
  $id: 'channels',
  type: 'object',
  required: ['channels'],
  properties: {
    channels: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: CHANNEL_NAME_PATTERN },
    },
  },
} as const;

/**
 * The same verdict as puruto-data's `vault.py check` (vault_store.registry_problems) and, for
 * the fields it reads, the gateway's registry.py; test/runtime/registry.parity.test.ts holds
 * them together. `path`, `kind` and `commands` are optional: older entries stay valid.
 */
export const registrySchema = {
  $id: 'registry',
  type: 'object',
  required: ['version', 'purutos'],
  properties: {
    version: { type: 'string', minLength: 1 },
    purutos: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'folder', 'registered_at'],
        properties: {
          name: { type: 'string', pattern: REGISTRY_NAME_PATTERN, maxLength: REGISTRY_NAME_MAX },
          folder: { type: 'string', pattern: VAULT_FOLDER_PATTERN },
          registered_at: { type: 'string' },
          path: { type: ['string', 'null'], pattern: NOT_BLANK_PATTERN },
          kind: { type: 'string', minLength: 1 },
          commands: { type: 'array', minItems: 1, items: { type: 'string', pattern: SKILL_NAME_PATTERN } },
        },
      },
    },
  },
} as const;

export const SCHEMAS = {
  ipc: ipcSchema,
  jobs: jobsSchema,
  channels: channelsSchema,
  registry: registrySchema,
} as const;

export type SchemaId = keyof typeof SCHEMAS;
export const SCHEMA_IDS = Object.keys(SCHEMAS) as SchemaId[];
