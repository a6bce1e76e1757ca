// Rewrites the agent table of README.md (between <!-- adapters --> and <!-- /adapters -->)
// from invoker.py's ADAPTERS: `npx tsx scripts/readme-adapters.ts`. test/unit/adapters.test.ts
// fails while the README's table differs from the adapter table.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { adapterTable } from '../generators/ipc/adapters.js';

const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const text = readFileSync(readme, 'utf8');
const start = text.indexOf('<!-- adapters -->');
const end = text.indexOf('<!-- /adapters -->');
if (start < 0 || end < start) throw new Error('README.md has no <!-- adapters --> ... <!-- /adapters --> block');
writeFileSync(readme, `${text.slice(0, start)}<!-- adapters -->\n${adapterTable()}\n${text.slice(end)}`);
