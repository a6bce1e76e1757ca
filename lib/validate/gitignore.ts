/**
 * Just enough of gitignore semantics to answer "is the file `.env` at the repo root
 * ignored?": comments, blank lines, trailing spaces, `!` negation (last match wins),
 * leading `/` anchors, trailing `/` means folders only, `*`, `?`, `[...]`, `**`.
 */

const compiled = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let regexp = compiled.get(glob);
  if (regexp === undefined) {
    regexp = new RegExp(`^${globSource(glob)}$`);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(glob, regexp);
  }
  return regexp;
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
  else if (!p.includes('/')) return globToRegExp(p).test(name); // basename at any depth
  return globToRegExp(p).test(name);
}

/** True when the root `.gitignore` text leaves `name` (a root-level file) ignored. */
export function ignoresRootFile(gitignore: string, name: string): boolean {
  let ignored = false;
  for (const rawLine of gitignore.split(/\r?\n/)) {
    let line = rawLine.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    if (line !== '' && matchesRootFile(line, name)) ignored = !negate;
  }
  return ignored;
}
