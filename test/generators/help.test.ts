/** Every --help is generated from the real tables: it names only flags and answer keys that exist. */
import assert from 'node:assert/strict';
import { CATALOG } from '../../generators/catalog.js';
import { initHelp, questions as initTable } from '../../generators/init/questions.js';
import { AddOnGenerator } from '../../generators/shared/addon.js';
import { COMMON_OPTIONS, INIT_OPTIONS, NEW_REPO_OPTIONS } from '../../generators/shared/spec.js';
import type { Table } from '../../lib/questions/table.js';
import { puruto } from '../helpers/cli.js';

/** The flags a help text mentions anywhere (--x, --no-x), without the leading dashes. */
function flagsIn(text: string): string[] {
  return [...text.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]!);
}

function checkHelp(text: string, table: Table, extra: readonly string[]): void {
  const known = new Set([...table.map((q) => q.name), ...extra, 'help']);
  const booleans = new Set(table.filter((q) => q.type === 'boolean' && q.negatable !== false).map((q) => q.name));
  for (const f of flagsIn(text)) {
    const base = f.startsWith('no-') && !known.has(f) ? f.slice(3) : f;
    assert.ok(known.has(base), `--${f} is not an option of this generator:\n${text}`);
    if (base !== f)
      assert.ok(
        booleans.has(base) || base === 'interactive' || base === 'git',
        `--${f} offered although --${base} is not negatable`,
      );
  }
  const example = /e\.g\. (\{.*?\})$/m.exec(text);
  if (example)
    for (const k of Object.keys(JSON.parse(example[1]!) as object))
      assert.ok(
        table.some((q) => q.name === k),
        `answers example key ${k}`,
      );
  assert.doesNotMatch(text, /usage\/business/);
}

const options = [...COMMON_OPTIONS, ...NEW_REPO_OPTIONS].map((o) => o.name);

describe('--help texts from the tables', () => {
  for (const entry of CATALOG) {
    it(`puruto new ${entry.key} --help and yo puruto:${entry.key} --help mention only what exists`, () => {
      for (const via of ['yo', 'puruto'] as const) {
        const text = entry.help(via);
        assert.equal(text.match(/^Usage:/gm)?.length, 1, text);
        checkHelp(text, entry.newRepo?.table ?? [], entry.newRepo ? options : []);
      }
    });
  }

  it("init --help: no --no-all, answers example with init's own keys", () => {
    for (const via of ['yo', 'puruto'] as const) {
      const text = initHelp(via);
      assert.doesNotMatch(text, /--no-all/);
      assert.match(text, /--no-git/);
      checkHelp(
        text,
        initTable,
        [...COMMON_OPTIONS, ...INIT_OPTIONS].map((o) => o.name),
      );
    }
  });

  it('the fixed-name kinds do not advertise --db or --ipc booleans they do not have', () => {
    for (const key of ['data', 'telegram', 'cron', 'gateway']) {
      const text = CATALOG.find((c) => c.key === key)!.help('yo');
      assert.doesNotMatch(text, /--db|--ipc|Boolean flags/, text);
    }
  });

  it("yo puruto:ipc / :agent-tests --help show our text, not Yeoman's defaults", () => {
    for (const key of ['ipc', 'agent-tests']) {
      const text = AddOnGenerator.prototype.help.call({ options: { namespace: `puruto:${key}` } } as never);
      assert.equal(text, CATALOG.find((c) => c.key === key)!.help('yo'));
      assert.match(text, new RegExp(`^Usage: yo puruto:${key} `));
    }
  });

  it('puruto new --help: one Usage block, each kind described', async () => {
    const r = await puruto(['new', '--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.match(/^Usage:/gm)?.length, 1, r.stdout);
    assert.match(r.stdout, /^ {2}data {8}new repo: the private data vault of the ecosystem$/m);
    assert.match(r.stdout, /^Options of the default kind/m);
  });
});
