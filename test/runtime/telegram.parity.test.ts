import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { py } from '../helpers/python.js';
import { runGenerator, tempDir, withHome } from '../helpers/generators.js';
import { validateRepo } from '../../lib/validate/index.js';
import { TELEGRAM_BUILTIN_COMMANDS } from '../../lib/schemas/index.js';

/**
 * `.channels.json`: `puruto validate --strict` (its JSON Schema + the command checks) and the
 * generated bot's reader (db.load_channels, what bot.py and router.py use) must give the same
 * verdict on the same file.
 */
const ch = (...names: unknown[]) => JSON.stringify({ channels: names });

const GOOD: [string, string][] = [
  ['no channels', ch()],
  ['two Purutos', ch('puruto-notes', 'puruto-todo')],
  ['underscores and digits', ch('notes_2', 'a')],
  ['a 32-character name', ch('p'.repeat(32))],
];

const BAD: [string, string][] = [
  ['not JSON', '{"channels": ['],
  ['a list', '[]'],
  ['no channels key', '{"channel": []}'],
  ['channels not a list', '{"channels": "puruto-notes"}'],
  ['a number', ch(3)],
  ['a name with a lone surrogate (valid JSON, not valid Unicode)', '{"channels": ["a\\ud800"]}'],
  ['a dot in the name', ch('puruto.notes')],
  ['a slash', ch('../x')],
  ['a leading hyphen', ch('-x')],
  ['a 33-character name', ch('p'.repeat(33))],
  ['a space', ch('puruto notes')],
  ['the same name twice', ch('puruto-notes', 'puruto-notes')],
  ['two names, one command', ch('puruto-notes', 'puruto_notes')],
  ['case only differs', ch('Notes', 'notes')],
  ...TELEGRAM_BUILTIN_COMMANDS.map((c): [string, string] => [`the built-in /${c}`, ch(c)]),
];

describe(".channels.json: puruto validate --strict and the bot's reader give the same verdict", function () {
  this.timeout(120_000);
  let dir = '';
  before(async () => {
    dir = path.join(tempDir('puruto-rt-tg-parity-'), 'puruto-telegram');
    await withHome(tempDir(), async () =>
      runGenerator('telegram', { options: { yes: true, git: false, destination: dir } }),
    );
  });

  it("db.py's BUILTIN_COMMANDS are the schema's", () => {
    const r = py(['-c', 'import db, json; print(json.dumps(list(db.BUILTIN_COMMANDS)))'], dir, {
      PYTHONDONTWRITEBYTECODE: '1',
    });
    assert.deepEqual(JSON.parse(r.stdout), [...TELEGRAM_BUILTIN_COMMANDS], r.stderr);
  });

  async function verdicts(text: string): Promise<{ validator: boolean; bot: boolean; detail: string }> {
    writeFileSync(path.join(dir, '.channels.json'), text);
    const report = await validateRepo(dir, { strict: true });
    const findings = report.findings.filter((f) => f.path === '.channels.json' && f.level === 'error');
    const r = py(
      [
        '-c',
        'import db, json\ntry:\n    print(json.dumps(db.load_channels()))\nexcept db.ChannelsError as e:\n    ' +
          'print(json.dumps({"error": str(e)}))',
      ],
      dir,
      { PYTHONDONTWRITEBYTECODE: '1' },
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as unknown;
    return {
      validator: findings.length === 0,
      bot: Array.isArray(out),
      detail: `${JSON.stringify(findings.map((f) => f.message))} / ${r.stdout}`,
    };
  }

  for (const [name, text] of GOOD) {
    it(`both accept ${name}`, async () => {
      const v = await verdicts(text);
      assert.deepEqual([v.validator, v.bot], [true, true], v.detail);
    });
  }
  for (const [name, text] of BAD) {
    it(`both refuse ${name}`, async () => {
      const v = await verdicts(text);
      assert.deepEqual([v.validator, v.bot], [false, false], v.detail);
    });
  }
});
