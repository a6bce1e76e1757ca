// esbuild plugin: bundled modules that read files next to themselves through
// `import.meta.url` (yeoman-generator reads its package.json, yeoman-environment
// creates a require there, our generators find their siblings) get the URL of the
// real installed file instead of the bundle's. Resolved at run time, so the bundle
// works wherever npm puts the package and its dependencies.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export function realUrls(root) {
  return {
    name: 'real-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.m?js$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        return {
          contents: text.replaceAll('import.meta.url', urlExpression(root, args.path)),
          loader: 'js',
          resolveDir: path.dirname(args.path),
        };
      });
    },
  };
}

function urlExpression(root, file) {
  const parts = path.relative(root, file).split(path.sep);
  const nm = parts.lastIndexOf('node_modules');
  if (nm === -1) return `__puruto_own_url(${JSON.stringify(parts.join('/'))})`;
  const scoped = parts[nm + 1].startsWith('@');
  const pkg = parts.slice(nm + 1, nm + (scoped ? 3 : 2)).join('/');
  const rel = parts.slice(nm + (scoped ? 3 : 2)).join('/');
  return `__puruto_dep_url(${JSON.stringify(pkg)}, ${JSON.stringify(rel)})`;
}

/** Runtime helpers the rewritten expressions call (an ESM banner). */
export const realUrlsBanner = `
import { createRequire as __puruto_cr } from 'node:module';
import { fileURLToPath as __puruto_f2p, pathToFileURL as __puruto_p2f } from 'node:url';
import __puruto_path from 'node:path';
import __puruto_fs from 'node:fs';
const require = __puruto_cr(import.meta.url);
const __puruto_root = __puruto_path.resolve(__puruto_path.dirname(__puruto_f2p(import.meta.url)), '..', '..');
function __puruto_own_url(rel) { return __puruto_p2f(__puruto_path.join(__puruto_root, rel)).href; }
const __puruto_pkg_roots = new Map();
function __puruto_dep_url(pkg, rel) {
  let dir = __puruto_pkg_roots.get(pkg);
  if (dir === undefined) {
    let entry;
    try {
      entry = import.meta.resolve(pkg);
    } catch {
      // A package nested below another dependency (e.g. fdir, which only builds a
      // require with it): the bundle's own location is the closest stand-in.
      return import.meta.url;
    }
    for (dir = __puruto_path.dirname(__puruto_f2p(entry)); ; dir = __puruto_path.dirname(dir)) {
      const manifest = __puruto_path.join(dir, 'package.json');
      const named = __puruto_fs.existsSync(manifest) && JSON.parse(__puruto_fs.readFileSync(manifest, 'utf8')).name;
      if (named === pkg) break;
      if (__puruto_path.dirname(dir) === dir)
        throw new Error('generator-puruto: cannot locate the installed package ' + pkg);
    }
    __puruto_pkg_roots.set(pkg, dir);
  }
  return __puruto_p2f(__puruto_path.join(dir, rel)).href;
}
`;
