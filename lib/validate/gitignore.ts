/**
 * Just enough of gitignore semantics to answer "is the file `.env` at the repo root
 * ignored?": comments, blank lines, trailing spaces, `!` negation (last match wins),
 * leading `/` anchors, trailing `/` means folders only, `*`, `?`, `[...]`, `**`.
 */

const compiled = new Map<string, RegExp | null>();

/**
 * The pattern as a RegExp, or null when it is not a valid glob (e.g. the range `[z-a]`):
 * git's wildmatch matches nothing with it, and so do we — it never throws.
 */
function globToRegExp(glob: string): RegExp | null {
  let regexp = compiled.get(glob);
  if (regexp === undefined) {
    try {
      regexp = new RegExp(`^${globSource(glob)}$`);
    } catch {
      regexp = null;
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(glob, regexp);
  }
  return regexp;
}

/** Lines of a `.gitignore` text, without comments, blanks and trailing spaces, with their numbers. */
function patternLines(gitignore: string): { line: number; pattern: string; negate: boolean }[] {
  const out: { line: number; pattern: string; negate: boolean }[] = [];
  gitignore.split(/\r?\n/).forEach((rawLine, i) => {
    let line = rawLine.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) return;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    if (line !== '') out.push({ line: i + 1, pattern: line, negate });
  });
  return out;
}

/** Patterns git cannot use (they match nothing), e.g. `[z-a]`, with their line numbers. */
export function invalidPatterns(gitignore: string): { line: number; pattern: string }[] {
  return patternLines(gitignore)
    .filter((p) => globToRegExp(p.pattern.replace(/^\//, '').replace(/\/$/, '')) === null)
    .map(({ line, pattern }) => ({ line, pattern }));
}

function globSource(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` = any leading folders (incl. none), a trailing `**` = anything.
        if (glob[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      re += glob[i + 1]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i += 1;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return re;
}

/** Does one gitignore pattern (already without `!`) match the root-level file `name`? */
function matchesRootFile(pattern: string, name: string): boolean {
  if (pattern.endsWith('/')) return false; // folders only
  let p = pattern;
  if (p.startsWith('/')) p = p.slice(1);
  return globToRegExp(p)?.test(name) === true; // without a `/`: the basename at any depth
}

/** True when the root `.gitignore` text leaves `name` (a root-level file) ignored. */
export function ignoresRootFile(gitignore: string, name: string): boolean {
  let ignored = false;
  for (const { pattern, negate } of patternLines(gitignore)) {
    if (matchesRootFile(pattern, name)) ignored = !negate;
  }
  return ignored;
}
