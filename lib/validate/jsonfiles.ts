/**
 * [ours] The JSON files of the ecosystem kinds, checked against their JSON Schemas:
 * `.jobs.json` (puruto-cron, plus unique job ids and valid cron schedules),
 * `.channels.json` (puruto-telegram), `registry.json` (puruto-data, plus unique names).
 * A missing file is the std kind check's business, not this one's.
 */
import { ours, type Finding } from '../standard/findings.js';
import type { KindName } from '../standard/kinds.js';
import { getValidator, type SchemaId } from '../schemas/index.js';
import { CHANNEL_NAME_PATTERN, TELEGRAM_BUILTIN_COMMANDS } from '../schemas/index.js';
import { type RepoContext, unreadableFinding } from './context.js';
import { cronProblem, timezoneProblem } from './cron.js';
import { schemaFindings } from './schema-findings.js';
import { isObject } from './kind.js';
import { parseJsonText } from './json-text.js';

interface JsonFileSpec {
  file: string;
  schema: SchemaId;
  example: string;
  /** Extra checks on data that passed the schema's shape for the relevant part. */
  extra?: (ctx: RepoContext, data: unknown) => Promise<Finding[]>;
}

/** Items of `data[listKey]` that are objects, with their index. */
function items(data: unknown, listKey: string): [number, Record<string, unknown>][] {
  const list = isObject(data) ? data[listKey] : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i): [number, Record<string, unknown>][] => (isObject(item) ? [[i, item]] : []));
}

function duplicates(
  ctx: RepoContext,
  file: string,
  data: unknown,
  listKey: string,
  field: string,
  fix: string,
): Finding[] {
  const first = new Map<string, number>();
  const findings: Finding[] = [];
  for (const [i, item] of items(data, listKey)) {
    const value = item[field];
    if (typeof value !== 'string') continue;
    const seen = first.get(value);
    if (seen === undefined) first.set(value, i);
    else
      findings.push(
        ours(
          'schema-violation',
          file,
          `${file}: /${listKey}/${i}/${field} duplicates ${field} "${value}" of /${listKey}/${seen}; ${fix}`,
          ctx.strict,
        ),
      );
  }
  return findings;
}

async function jobsExtra(ctx: RepoContext, data: unknown): Promise<Finding[]> {
  const findings = duplicates(ctx, '.jobs.json', data, 'jobs', 'job_id', 'job ids must be unique: rename one');
  for (const [i, job] of items(data, 'jobs')) {
    const zone = job['timezone'];
    const zoneProblem = typeof zone === 'string' && zone !== '' ? timezoneProblem(zone) : undefined;
    if (zoneProblem !== undefined) {
      const who = typeof job['job_id'] === 'string' ? `job "${job['job_id']}"` : `job #${i}`;
      findings.push(
        ours('schema-violation', '.jobs.json', `.jobs.json: ${who} (/jobs/${i}/timezone): ${zoneProblem}`, ctx.strict),
      );
    }
    const schedule = job['schedule'];
    if (typeof schedule !== 'string' || schedule.trim() === '') continue;
    const problem = await cronProblem(schedule);
    if (problem === undefined) continue;
    const id = typeof job['job_id'] === 'string' ? `job "${job['job_id']}"` : `job #${i}`;
    findings.push(
      ours(
        'invalid-cron-expression',
        '.jobs.json',
        `.jobs.json: ${id} (/jobs/${i}/schedule): ${problem}; ` +
          `use a 5-field expression such as "0 9 * * 1-5" or an alias like @daily`,
        ctx.strict,
      ),
    );
  }
  return findings;
}

/** The bot command of a channel: lower case, "-" as "_" (db.py command_for). */
const commandOf = (channel: string) => channel.toLowerCase().replace(/-/g, '_');

async function channelsExtra(ctx: RepoContext, data: unknown): Promise<Finding[]> {
  const list = isObject(data) && Array.isArray(data['channels']) ? data['channels'] : [];
  const builtin = new Set<string>(TELEGRAM_BUILTIN_COMMANDS);
  const seen = new Map<string, string>();
  const findings: Finding[] = [];
  list.forEach((name, i) => {
    if (typeof name !== 'string' || !new RegExp(CHANNEL_NAME_PATTERN).test(name)) return;
    const cmd = commandOf(name);
    const other = seen.get(cmd);
    if (builtin.has(cmd)) {
      findings.push(
        ours(
          'schema-violation',
          '.channels.json',
          `.channels.json: /channels/${i} "${name}" would hide the bot's own /${cmd}: ` +
            `rename that Puruto or leave it out`,
          ctx.strict,
        ),
      );
    } else if (other !== undefined && other !== name) {
      findings.push(
        ours(
          'schema-violation',
          '.channels.json',
          `.channels.json: /channels/${i} "${name}" and "${other}" both become /${cmd}: keep one`,
          ctx.strict,
        ),
      );
    }
    if (!seen.has(cmd)) seen.set(cmd, name);
  });
  return findings;
}

async function registryExtra(ctx: RepoContext, data: unknown): Promise<Finding[]> {
  return duplicates(
    ctx,
    'registry.json',
    data,
    'purutos',
    'name',
    'each Puruto is registered once: remove the duplicate entry',
  );
}

export const JSON_FILES: Partial<Record<KindName, JsonFileSpec>> = {
  'puruto-cron': {
    file: '.jobs.json',
    schema: 'jobs',
    example:
      '{"jobs": [{"job_id": "daily-report", "puruto_target": "puruto-x", "schedule": "0 9 * * *", "prompt": ' +
      '"...", "enabled": false}]}',
    extra: jobsExtra,
  },
  'puruto-telegram': {
    file: '.channels.json',
    schema: 'channels',
    example: '{"channels": ["puruto-data"]}',
    extra: channelsExtra,
  },
  'puruto-data': {
    file: 'registry.json',
    schema: 'registry',
    example: '{"version": "1", "purutos": []}',
    extra: registryExtra,
  },
};

export async function checkJsonFiles(ctx: RepoContext): Promise<Finding[]> {
  const spec = JSON_FILES[ctx.kind];
  if (spec === undefined || !ctx.isFile(spec.file)) return [];
  const { file } = spec;
  const read = ctx.read(file);
  if (!read.ok) return [unreadableFinding(ctx, file, read.code)];
  const parsed = parseJsonText(read.text);
  if (!parsed.ok)
    return [
      ours(
        'invalid-json',
        file,
        `${file} ${parsed.problem}; fix the syntax (no comments or trailing commas), e.g. ${spec.example}`,
        ctx.strict,
      ),
    ];
  const data = parsed.data;
  const validate = await getValidator(spec.schema);
  const findings = schemaFindings(file, validate(data), data, ctx.strict, `expected shape: ${spec.example}`);
  if (spec.extra !== undefined) findings.push(...(await spec.extra(ctx, data)));
  return findings;
}
