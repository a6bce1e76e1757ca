import { PurutoError } from './errors.js';

/**
 * yo passes every flag it parsed to the generator without knowing which ones the
 * generator has, so an unknown flag would be silently ignored. These are the option
 * keys that legitimately reach a generator besides its own declared options.
 */
const KNOWN = new Set([
  // added by yeoman-environment when it creates a generator
  'env',
  'resolved',
  'namespace',
  'meta',
  'sharedData',
  'forwardErrorToEnvironment',
  'destinationRoot',
  // yeoman-environment's own command-line options
  'cwd',
  'skipInstall',
  'forceInstall',
  'skipCache',
  'localConfigOnly',
  'askAnswered',
  'force',
  'dryRun',
  'whitespace',
  'bail',
  'skipYoResolve',
  'skipLocalCache',
  'skipParseOptions',
  'experimental',
  'logCwd',
  'ignoreVersionCheck',
  'skipChecks',
  // yo's own flags
  'generators',
  'localOnly',
  'insight',
  'debug',
  'version',
  'environmentVersion',
  'help',
]);

/** `agent-tests` → `agentTests` (yo hands flags over in both spellings). */
export const camel = (s: string): string =>
  s.replace(/^_+/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** The value yo gave for `--<name>`, under either spelling. */
export function givenOption(options: Record<string, unknown>, name: string): unknown {
  return options[name] ?? options[camel(name)];
}
const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Option keys given to a generator that neither it nor Yeoman/yo know, as `--flag` names. */
export function unknownOptions(
  given: Record<string, unknown>,
  declared: Iterable<string>,
  aliases: Iterable<string> = [],
): string[] {
  const known = new Set([...KNOWN, ...[...declared, ...aliases].map(camel)]);
  const unknown = new Set<string>();
  for (const key of Object.keys(given)) {
    if (!known.has(camel(key))) unknown.add(`--${kebab(camel(key))}`);
  }
  return [...unknown];
}

interface WithOptions {
  _initOptions?: Record<string, unknown>;
  _options?: Record<string, { alias?: string }>;
  options: { namespace?: unknown };
}

/** An unknown flag is an argument error (exit 2) under yo too, as under `puruto new`. */
export function rejectUnknownOptions(generator: object): void {
  const g = generator as WithOptions;
  const declared = Object.keys(g._options ?? {});
  const aliases = Object.values(g._options ?? {}).flatMap((o) => (o.alias ? [o.alias] : []));
  const unknown = unknownOptions(g._initOptions ?? {}, declared, aliases);
  if (unknown.length) {
    const ns = String(g.options.namespace ?? 'puruto').replace(/:app$/, '');
    throw new PurutoError(
      `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: see \`yo ${ns} --help\``,
      2,
    );
  }
}
