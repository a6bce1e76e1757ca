/**
 * [ours] Secrets hygiene: `.env` ignored by git, no real-looking secret in the
 * committed `.env.example`, the gateway key not left at `changeme` in `.env`.
 */
import { ours, type Finding } from '../standard/findings.js';
import { type RepoContext, unreadableFinding } from './context.js';
import { ignoresRootFile, invalidPatterns } from './gitignore.js';

export interface EnvLine {
  line: number;
  name: string;
  value: string;
  commented: boolean;
}

const ASSIGNMENT = /^\s*(#\s*)?(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/;

function unquote(raw: string): string {
  const v = raw.trim();
  const quote = v[0];
  if (quote === '"' || quote === "'") {
    const end = v.indexOf(quote, 1);
    return end > 0 ? v.slice(1, end) : v.slice(1);
  }
  return v.replace(/\s+#.*$/, '').trim();
}

/** `NAME=value` lines of a dotenv file (also `# NAME=value` commented ones). */
export function parseEnv(text: string): EnvLine[] {
  const out: EnvLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const m = ASSIGNMENT.exec(raw);
    if (m) out.push({ line: i + 1, name: m[2]!, value: unquote(m[3]!), commented: m[1] !== undefined });
  });
  return out;
}

const SECRET_PATTERNS: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\b\d{6,12}:[A-Za-z0-9_-]{30,}/, 'a Telegram bot token'],
  [/\bsk-[A-Za-z0-9_-]{20,}/, 'an OpenAI/Anthropic API key'],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bxox[abpr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
];

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|(?:^|_)KEY(?:$|_)/i;
const PLACEHOLDER_WORDS =
  /change[-_ ]?me|your[-_ ]|example|placeholder|dummy|fake|replace[-_ ]?(?:me|this|with)|xxx|\.\.\.|todo|<[^>]*>|\$\{[^}]*\}/i;

/** Obvious placeholders: empty, changeme, your-..., <...>, xxx, ... */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return v === '' || PLACEHOLDER_WORDS.test(v) || /^(.)\1*$/.test(v);
}

function looksLikePathOrUrl(value: string): boolean {
  return (
    /^(?:\/|\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(value) ||
    (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/:\/\/[^/@\s]+:[^/@\s]+@/.test(value))
  );
}

/** First 4 characters, then the length: enough to find it, useless to steal it. */
export function mask(secret: string): string {
  return `${secret.slice(0, 4)}… (${secret.length} chars)`;
}

/** Why `line`'s value looks like a real secret, or undefined. */
export function secretKind(entry: EnvLine): { what: string; sample: string } | undefined {
  if (isPlaceholder(entry.value)) return undefined;
  for (const [re, what] of SECRET_PATTERNS) {
    const m = re.exec(entry.value);
    if (m) return { what, sample: m[0] };
  }
  if (
    SECRET_NAME.test(entry.name) &&
    entry.value.length >= 20 &&
    !/\s/.test(entry.value) &&
    !looksLikePathOrUrl(entry.value)
  ) {
    return { what: `a real value for ${entry.name}`, sample: entry.value };
  }
  return undefined;
}

function checkGitignore(ctx: RepoContext): Finding[] {
  if (!ctx.isFile('.gitignore')) return [];
  const read = ctx.read('.gitignore');
  if (!read.ok) return [unreadableFinding(ctx, '.gitignore', read.code)];
  const findings = invalidPatterns(read.text)
    .slice(0, 5)
    .map(({ line, pattern }) =>
      ours(
        'invalid-gitignore-pattern',
        '.gitignore',
        `.gitignore line ${line}: ` +
          `${JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 80)}…` : pattern)} is not a valid pattern ` +
          `(e.g. a range like [z-a] that is out of order), so git matches nothing with it; fix or remove the line`,
        ctx.strict,
      ),
    );
  if (ignoresRootFile(read.text, '.env')) return findings;
  return [
    ...findings,
    ours(
      'env-not-ignored',
      '.gitignore',
      '.gitignore does not ignore .env, so local secrets could be committed; add a line `.env` (and no later `!.env`)',
      ctx.strict,
    ),
  ];
}

function checkExample(ctx: RepoContext): Finding[] {
  if (!ctx.isFile('.env.example')) return [];
  const read = ctx.read('.env.example');
  if (!read.ok) return [unreadableFinding(ctx, '.env.example', read.code)];
  const findings: Finding[] = [];
  for (const entry of parseEnv(read.text)) {
    const secret = secretKind(entry);
    if (secret === undefined) continue;
    findings.push(
      ours(
        'secret-in-env-example',
        '.env.example',
        `.env.example line ${entry.line}: ${entry.name} looks like ${secret.what} (${mask(secret.sample)}); ` +
          `.env.example is committed, so replace it with an empty value or a placeholder, ` +
          `put the real value in .env, and revoke/rotate the exposed secret`,
        ctx.strict,
      ),
    );
  }
  // Secrets on lines that are not assignments (e.g. a pasted private key block).
  if (findings.length === 0 && SECRET_PATTERNS[0]![0].test(read.text)) {
    findings.push(
      ours(
        'secret-in-env-example',
        '.env.example',
        '.env.example contains a private key block; remove it, keep keys out of committed files, and rotate the key',
        ctx.strict,
      ),
    );
  }
  return findings;
}

export const GATEWAY_KEY_VAR = 'PURUTO_GATEWAY_API_KEY';

function checkGatewayKey(ctx: RepoContext): Finding[] {
  if (!ctx.isFile('.env')) return [];
  const read = ctx.read('.env');
  if (!read.ok) return [unreadableFinding(ctx, '.env', read.code)];
  const entries = parseEnv(read.text).filter((e) => !e.commented && e.name === GATEWAY_KEY_VAR);
  const last = entries[entries.length - 1];
  if (last === undefined || last.value.toLowerCase() !== 'changeme') return [];
  return [
    ours(
      'gateway-default-key',
      '.env',
      `.env line ${last.line}: ${GATEWAY_KEY_VAR} is still the placeholder "changeme"; ` +
        `set it to a long random key, e.g. the output of \`openssl rand -hex 32\``,
      ctx.strict,
    ),
  ];
}

export function checkEnv(ctx: RepoContext): Finding[] {
  return [...checkGitignore(ctx), ...checkExample(ctx), ...checkGatewayKey(ctx)];
}
