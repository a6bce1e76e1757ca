/**
 * [ours] One walk over the repo's own files: reports template placeholders left in
 * text files (`__UPPER_CASE__`) and entries that cannot be read (permissions, symlink
 * loops, broken links). Symbolic links are checked but never followed, so nothing is
 * scanned twice and no loop can trap the walk.
 */
import { ours, type Finding } from '../standard/findings.js';
import { describeCode, type RepoContext } from './context.js';

/** Folders never walked: VCS data, dependencies, caches, databases, build output. */
export const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', 'db', 'dist']);
/** Only files up to this size are scanned for placeholders. */
export const MAX_SCAN_BYTES = 1024 * 1024;
/** `__NAME__`, `__PURUTO_NAME__`; never Python dunders (`__init__`) nor `__X__`. */
export const PLACEHOLDER = /__[A-Z][A-Z0-9_]*[A-Z0-9]__/g;

// Extensions that are binary for sure: not worth opening.
const BINARY_EXT =
  /\.(?:png|jpe?g|gif|webp|ico|bmp|pdf|zip|gz|tgz|xz|bz2|7z|zst|sqlite3?|db|woff2?|ttf|otf|eot|mp[34]|mov|wav|ogg|pyc|pyo|so|dylib|dll|exe|bin|jar|class|wasm)$/i;

const MAX_TOKENS_SHOWN = 10;

export function findPlaceholders(text: string): string[] {
  if (!text.includes('__')) return [];
  return [...new Set(text.match(PLACEHOLDER) ?? [])].sort();
}

function unreadable(ctx: RepoContext, rel: string, what: string, fix: string): Finding {
  return ours('unreadable-path', rel, `${rel} ${what}; ${fix}`, ctx.strict);
}

function checkLink(ctx: RepoContext, rel: string): Finding[] {
  const state = ctx.state(rel);
  if (state.type === 'outside') {
    return [
      ours(
        'link-outside-repo',
        rel,
        `${rel} is a symbolic link to ${state.target}, outside the repo: the validator does not follow it, ` +
          `and a clone of the repo will not have it; put the files inside the repo (or remove the link)`,
        ctx.strict,
      ),
    ];
  }
  if (state.type !== 'missing' && state.type !== 'error') return [];
  const target = ctx.readlink(rel) ?? '?';
  if (state.type === 'missing')
    return [
      unreadable(
        ctx,
        rel,
        `is a broken symbolic link (target "${target}" does not exist)`,
        'fix the target or remove the link',
      ),
    ];
  return [
    unreadable(
      ctx,
      rel,
      `cannot be resolved: ${describeCode(state.code)} (link target "${target}")`,
      'point the link at a real file or folder, or remove it',
    ),
  ];
}

function scanFile(ctx: RepoContext, rel: string): Finding[] {
  const read = ctx.read(rel, MAX_SCAN_BYTES);
  if (!read.ok) {
    if (read.code === 'EFBIG') return [];
    return [
      unreadable(
        ctx,
        rel,
        `cannot be read: ${describeCode(read.code)}`,
        'fix its permissions (agents and the validator must be able to read it)',
      ),
    ];
  }
  if (read.binary || read.size > MAX_SCAN_BYTES) return [];
  const tokens = findPlaceholders(read.text);
  if (tokens.length === 0) return [];
  const shown =
    tokens.slice(0, MAX_TOKENS_SHOWN).join(', ') +
    (tokens.length > MAX_TOKENS_SHOWN ? ` and ${tokens.length - MAX_TOKENS_SHOWN} more` : '');
  return [
    ours(
      'unresolved-placeholder',
      rel,
      `${rel} still contains template placeholder${tokens.length > 1 ? 's' : ''} ${shown}; ` +
        `replace ${tokens.length > 1 ? 'them' : 'it'} with real values (a generator bug if the file was just ` +
        `generated)`,
      ctx.strict,
    ),
  ];
}

function walk(ctx: RepoContext, dir: string, out: Finding[]): void {
  const listing = ctx.list(dir);
  if (!listing.ok) {
    out.push(unreadable(ctx, dir, `cannot be listed: ${describeCode(listing.code)}`, 'fix its permissions'));
    return;
  }
  for (const [name, entry] of listing.entries) {
    const rel = dir === '.' ? name : `${dir}/${name}`;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(name)) walk(ctx, rel, out);
    } else if (entry.isFile()) {
      if (!BINARY_EXT.test(name)) out.push(...scanFile(ctx, rel));
    } else if (entry.isSymbolicLink()) {
      out.push(...checkLink(ctx, rel));
    }
  }
}

export function checkTree(ctx: RepoContext): Finding[] {
  const out: Finding[] = [];
  walk(ctx, '.', out);
  return out;
}
