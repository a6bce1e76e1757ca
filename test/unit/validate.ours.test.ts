import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { validateRepo, type Report } from '../../lib/validate/index.js';
import { OURS_CODES } from '../../lib/standard/findings.js';
import { repoSandbox, ipcFiles, linkSkillsMirror, skillMd, validKindRepo, validStandardRepo } from '../helpers/repo.js';

const sandbox = repoSandbox('puruto-validate-ours-');
const makeRepo = sandbox.make;

const std = () => validStandardRepo('puruto-x');

/** Validate twice: the one finding with `code` at `at` is a warning, and an error under strict. */
async function expectOurs(dir: string, code: string, at: string): Promise<string> {
  const pick = (r: Report) => r.findings.filter((f) => f.code === code && f.path === at);
  const loose = await validateRepo(dir);
  const strict = await validateRepo(dir, { strict: true });
  assert.equal(pick(loose).length, 1, `expected one ${code} at ${at}: ${JSON.stringify(loose.findings, null, 1)}`);
  assert.equal(pick(loose)[0]!.level, 'warning');
  assert.equal(pick(strict)[0]!.level, 'error');
  assert.equal(strict.ok, false);
  return pick(loose)[0]!.message;
}

describe('validate: extra checks [ours]', () => {
  describe('SKILL.md frontmatter', () => {
    const at = '.claude/skills/extra/SKILL.md';
    const cases: [string, string, RegExp][] = [
      ['no frontmatter', '# just markdown\n', /does not start with a `---`/],
      ['unclosed frontmatter', '---\nname: extra\n', /not closed/],
      ['empty frontmatter', '---\n---\nbody\n', /empty/],
      ['invalid YAML', '---\nname: [extra\n---\n', /not valid YAML/],
      ['a YAML list, not a mapping', '---\n- name\n- extra\n---\n', /mapping/],
      ['missing user-invocable', '---\nname: extra\ndescription: Does things.\n---\n', /add `user-invocable: true`/],
      [
        'quoted user-invocable',
        '---\nname: extra\ndescription: Does things.\nuser-invocable: "true"\n---\n',
        /must be a boolean/,
      ],
      ['missing description', '---\nname: extra\nuser-invocable: true\n---\n', /`description` is missing/],
      [
        'multi-line description',
        '---\nname: extra\ndescription: |\n  line one\n  line two\nuser-invocable: true\n---\n',
        /single line/,
      ],
      [
        'too long description',
        `---\nname: extra\ndescription: ${'d'.repeat(1025)}\nuser-invocable: true\n---\n`,
        /at most 1024/,
      ],
      [
        'bad name characters',
        '---\nname: Extra_Skill\ndescription: x\nuser-invocable: true\n---\n',
        /lowercase letters/,
      ],
      ['double hyphen name', '---\nname: ex--tra\ndescription: x\nuser-invocable: true\n---\n', /single hyphens/],
      [
        'bad allowed-tools',
        '---\nname: extra\ndescription: x\nuser-invocable: true\nallowed-tools: {Read: yes}\n---\n',
        /allowed-tools/,
      ],
      [
        'long compatibility',
        `---\nname: extra\ndescription: x\nuser-invocable: true\ncompatibility: ${'c'.repeat(501)}\n---\n`,
        /at most 500/,
      ],
      [
        'non-string metadata',
        '---\nname: extra\ndescription: x\nuser-invocable: true\nmetadata:\n  version: 2\n---\n',
        /metadata/,
      ],
      [
        'non-string license',
        '---\nname: extra\ndescription: x\nuser-invocable: true\nlicense: [MIT]\n---\n',
        /license/,
      ],
    ];
    for (const [title, text, pattern] of cases) {
      it(`invalid-skill-frontmatter: ${title}`, async () => {
        const message = await expectOurs(makeRepo({ ...std(), [at]: text }), 'invalid-skill-frontmatter', at);
        assert.match(message, pattern);
      });
    }

    it('accepts a string allowed-tools, CRLF, a BOM, unknown keys, optional fields', async () => {
      const text =
        '\uFEFF---\r\nname: extra\r\ndescription: Does things.\r\nuser-invocable: false\r\nallowed-tools: ' +
        'Read Bash\r\nlicense: MIT\r\ncompatibility: Claude Code\r\nmetadata:\r\n  owner: me\r\nmodel: ' +
        'sonnet\r\n---\r\nbody\r\n';
      const report = await validateRepo(makeRepo({ ...std(), [at]: text }), { strict: true });
      assert.deepEqual(report.findings, []);
    });

    it('a skill folder without SKILL.md', async () => {
      const dir = makeRepo(std());
      fs.mkdirSync(path.join(dir, '.claude/skills/extra'));
      assert.match(await expectOurs(dir, 'invalid-skill-frontmatter', at), /is missing/);
    });

    it('skill-name-mismatch when name differs from the folder', async () => {
      const message = await expectOurs(makeRepo({ ...std(), [at]: skillMd('other') }), 'skill-name-mismatch', at);
      assert.match(message, /set `name: extra`/);
    });

    it('a core skill folder without SKILL.md is only the std missing-core-skill', async () => {
      const dir = makeRepo(std());
      fs.rmSync(path.join(dir, '.claude/skills/help/SKILL.md'));
      const report = await validateRepo(dir);
      assert.deepEqual(
        report.findings.map((f) => f.code),
        ['missing-core-skill'],
      );
    });
  });

  it('unresolved-placeholder: one finding per file listing its tokens, never python dunders', async () => {
    const dir = makeRepo({
      ...std(),
      'README.md': '# __PURUTO_NAME__\n\n__DESCRIPTION__ and __PURUTO_NAME__ again\n',
      'app.py': 'if __name__ == "__main__":\n    print(__file__, __init__, __X__)\n',
      'db/seed.sql': '__IGNORED_IN_DB__',
      'node_modules/x/index.js': '__IGNORED__',
    });
    const message = await expectOurs(dir, 'unresolved-placeholder', 'README.md');
    assert.match(message, /__DESCRIPTION__, __PURUTO_NAME__/);
    const report = await validateRepo(dir);
    assert.deepEqual(
      report.findings.map((f) => f.path),
      ['README.md'],
    );
  });

  it('unresolved-placeholder skips binary files', async () => {
    const dir = makeRepo(std());
    fs.writeFileSync(path.join(dir, 'data.raw'), Buffer.from('__NAME__\0\0binary'));
    assert.deepEqual((await validateRepo(dir)).findings, []);
  });

  it('files over 1 MiB are not scanned for placeholders, but still parsed when they are Puruto JSON', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    const purutos = Array.from({ length: 12000 }, (_, i) => ({
      name: `puruto-p${i}`,
      folder: `puruto-p${i}`,
      registered_at: '__WHEN__',
    }));
    const registry = JSON.stringify({ version: '1', purutos }, null, 1);
    assert.ok(registry.length > 1024 * 1024);
    const dir = makeRepo(
      { ...validKindRepo('puruto-data'), 'big.txt': `__NAME__${big}`, 'registry.json': registry },
      'puruto-data',
    );
    assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);
    fs.writeFileSync(path.join(dir, 'registry.json'), registry.replace('"puruto-p7"', '"Bad"'));
    const report = await validateRepo(dir);
    assert.deepEqual(
      report.findings.map((f) => f.code),
      ['schema-violation'],
    );
  });

  describe('JSON files', () => {
    it('invalid-json for an unparsable .jobs.json', async () => {
      const dir = makeRepo({ ...validKindRepo('puruto-cron'), '.jobs.json': '{"jobs": [],}' }, 'puruto-cron');
      assert.match(await expectOurs(dir, 'invalid-json', '.jobs.json'), /not valid JSON/);
    });

    it('schema-violation with a readable pointer (.jobs.json)', async () => {
      const jobs = {
        jobs: [{ job_id: 'a', puruto_target: 'puruto-data', schedule: '@daily', prompt: 'x', timeout_sec: '10' }],
      };
      const dir = makeRepo({ ...validKindRepo('puruto-cron'), '.jobs.json': JSON.stringify(jobs) }, 'puruto-cron');
      const message = await expectOurs(dir, 'schema-violation', '.jobs.json');
      assert.match(message, /\/jobs\/0\/timeout_sec must be an integer \(got "10"\)/);
    });

    it('schema-violation for a missing required job field and a duplicate job_id', async () => {
      const job = { job_id: 'a', puruto_target: 'puruto-data', schedule: '0 * * * *', prompt: 'x' };
      const jobs = { jobs: [job, { ...job }, { job_id: 'b', schedule: '0 * * * *', prompt: 'x' }] };
      const dir = makeRepo({ ...validKindRepo('puruto-cron'), '.jobs.json': JSON.stringify(jobs) }, 'puruto-cron');
      const report = await validateRepo(dir);
      const messages = report.findings.filter((f) => f.code === 'schema-violation').map((f) => f.message);
      assert.equal(messages.length, 2, JSON.stringify(messages));
      assert.ok(messages.some((m) => /\/jobs\/2\/puruto_target is required/.test(m)));
      assert.ok(messages.some((m) => /\/jobs\/1\/job_id duplicates job_id "a" of \/jobs\/0/.test(m)));
    });

    it('invalid-cron-expression names the job; 6 fields and unknown aliases are invalid', async () => {
      const job = (job_id: string, schedule: string) => ({
        job_id,
        puruto_target: 'puruto-data',
        schedule,
        prompt: 'x',
      });
      const jobs = {
        jobs: [
          job('ok5', '*/5 9-17 * * mon-fri'),
          job('alias', '@midnight'),
          job('sixf', '0 0 9 * * *'),
          job('range', '61 * * * *'),
          job('reboot', '@reboot'),
          job('words', 'every day'),
        ],
      };
      const dir = makeRepo({ ...validKindRepo('puruto-cron'), '.jobs.json': JSON.stringify(jobs) }, 'puruto-cron');
      const report = await validateRepo(dir, { strict: true });
      const bad = report.findings.filter((f) => f.code === 'invalid-cron-expression');
      assert.deepEqual(bad.map((f) => /job "([^"]+)"/.exec(f.message)![1]).sort(), [
        'range',
        'reboot',
        'sixf',
        'words',
      ]);
      assert.ok(bad.every((f) => f.level === 'error' && f.path === '.jobs.json'));
      assert.match(bad.find((f) => f.message.includes('"sixf"'))!.message, /seconds field is not supported/);
    });

    it('.channels.json: duplicates and bad names are schema violations', async () => {
      const dir = makeRepo(
        { ...validKindRepo('puruto-telegram'), '.channels.json': '{"channels": ["puruto-a", "../etc", "puruto-a"]}' },
        'puruto-telegram',
      );
      const report = await validateRepo(dir);
      const messages = report.findings.filter((f) => f.code === 'schema-violation').map((f) => f.message);
      assert.equal(messages.length, 2, JSON.stringify(messages));
      assert.ok(
        messages.some((m) =>
          /\/channels\/1 "\.\.\/etc" must be a Puruto folder name of letters, digits, "-" and "_", at most 32 characters/.test(
            m,
          ),
        ),
      );
      assert.ok(messages.some((m) => /duplicate items/.test(m)));
    });

    it('registry.json: root fields, entry names, folder, optional fields', async () => {
      const registry = {
        purutos: [
          {
            name: 'puruto-a',
            folder: 'puruto-a',
            registered_at: '2026-01-01T00:00:00',
            path: null,
            kind: 'standard',
            commands: ['status'],
          },
          { name: 'Financial', folder: '..', registered_at: '2026-01-01T00:00:00' },
        ],
      };
      const dir = makeRepo(
        { ...validKindRepo('puruto-data'), 'registry.json': JSON.stringify(registry) },
        'puruto-data',
      );
      const report = await validateRepo(dir);
      const messages = report.findings
        .filter((f) => f.code === 'schema-violation')
        .map((f) => f.message)
        .join('\n');
      assert.match(messages, /\/version is required/);
      assert.match(messages, /\/purutos\/1\/name "Financial" must be `puruto-<name>`/);
      assert.match(messages, /\/purutos\/1\/folder/);
      assert.equal(report.findings.filter((f) => f.code === 'schema-violation').length, 3);
    });

    it('.puruto-ipc.json: item and value types via the schema', async () => {
      const cfg = {
        enabled: 'yes',
        owner: 'x',
        max_hops: -1,
        default_timeout_sec: 0,
        allowed_targets: ['a', 3],
        allowed_actions: { a: 'status' },
      };
      const dir = makeRepo({ ...std(), ...ipcFiles('puruto-x'), '.puruto-ipc.json': JSON.stringify(cfg) });
      const report = await validateRepo(dir);
      const messages = report.findings
        .filter((f) => f.code === 'schema-violation')
        .map((f) => f.message)
        .join('\n');
      for (const ptr of ['/enabled', '/max_hops', '/default_timeout_sec', '/allowed_targets/1', '/allowed_actions/a'])
        assert.ok(messages.includes(`${ptr} `), ptr);
      assert.equal(report.ok, true);
    });
  });

  describe('env hygiene', () => {
    it('env-not-ignored when .gitignore does not ignore .env', async () => {
      const dir = makeRepo({ ...std(), '.gitignore': 'db/\n.env.local\nconfig/.env\n.env/\n' });
      assert.match(await expectOurs(dir, 'env-not-ignored', '.gitignore'), /add a line `\.env`/);
    });

    it('env-not-ignored when a later !.env un-ignores it', async () => {
      await expectOurs(makeRepo({ ...std(), '.gitignore': '.env*\n!.env\n' }), 'env-not-ignored', '.gitignore');
    });

    for (const ignore of ['.env', '/.env', '.env*', '*.env', '**/.env', '# comment\n.env  \n']) {
      it(`.gitignore with ${JSON.stringify(ignore)} ignores .env`, async () => {
        const report = await validateRepo(makeRepo({ ...std(), '.gitignore': ignore, '.env': 'X=1\n' }));
        assert.deepEqual(report.findings, []);
      });
    }

    it('no .gitignore and no .env: no finding', async () => {
      const files = std();
      delete files['.gitignore'];
      assert.deepEqual((await validateRepo(makeRepo(files), { strict: true })).findings, []);
    });

    const secrets: [string, string][] = [
      ['PURUTO_TELEGRAM_BOT_TOKEN=1234567890:AAHk9x_Yb-Q2cZ8pLmN4rT6vW0sD3fG7jKq', 'Telegram bot token'],
      ['OPENAI_API_KEY="sk-proj-4f9a8B7c6D5e4F3g2H1i0JkLmNoP"', 'OpenAI/Anthropic'],
      ['# GH=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8', 'GitHub token'],
      ['AWS_ACCESS_KEY_ID=AKIAIOSFODNN7REALKEY', 'AWS access key'],
      ['SLACK=xoxb-123456789012-abcdefghijkl', 'Slack token'],
      ['DB_PASSWORD=Tr0ub4dor&3-correct-horse-battery', 'a real value for DB_PASSWORD'],
    ];
    for (const [line, what] of secrets) {
      it(`secret-in-env-example: ${what}, masked`, async () => {
        const message = await expectOurs(
          makeRepo({ ...std(), '.env.example': `# comment\n${line}\n` }),
          'secret-in-env-example',
          '.env.example',
        );
        assert.ok(message.includes(what), message);
        assert.match(message, /line 2/);
        const secret = line.split('=').slice(1).join('=').replace(/"/g, '');
        assert.ok(!message.includes(secret.slice(4)), `secret leaked: ${message}`);
      });
    }

    it('secret-in-env-example: a private key block', async () => {
      await expectOurs(
        makeRepo({ ...std(), '.env.example': '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n' }),
        'secret-in-env-example',
        '.env.example',
      );
    });

    it('placeholders and ordinary values are not secrets', async () => {
      const example = [
        'PURUTO_GATEWAY_API_KEY=changeme',
        'PURUTO_TELEGRAM_BOT_TOKEN=',
        'OPENAI_API_KEY=your-openai-api-key-goes-here',
        'ANTHROPIC_API_KEY=<your anthropic key>',
        'SECRET_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
        'TOKEN_FILE=/home/user/.config/puruto/token.json',
        'MONKEY_PATH=some/very/long/relative/path/to/a/thing',
        'PURUTO_DATA_PATH=../puruto-data',
        'DB_PATH=db/data.db',
      ].join('\n');
      const report = await validateRepo(makeRepo({ ...std(), '.env.example': example }), { strict: true });
      assert.deepEqual(report.findings, []);
    });

    it('gateway-default-key when .env keeps changeme (quotes allowed)', async () => {
      for (const value of ['changeme', '"changeme"', "'changeme'"]) {
        const dir = makeRepo(
          { ...validKindRepo('puruto-gateway'), '.env': `PURUTO_GATEWAY_API_KEY=${value}\n` },
          'puruto-gateway',
        );
        assert.match(await expectOurs(dir, 'gateway-default-key', '.env'), /long random key/);
      }
      const fixed = makeRepo(
        { ...validKindRepo('puruto-gateway'), '.env': 'PURUTO_GATEWAY_API_KEY=0f3c9a7e5b1d\n' },
        'puruto-gateway',
      );
      assert.ok(!(await validateRepo(fixed)).findings.some((f) => f.code === 'gateway-default-key'));
    });
  });

  describe('.agents/skills mirror', () => {
    it('absent: no finding; the relative link: no finding', async () => {
      assert.deepEqual((await validateRepo(makeRepo(std()), { strict: true })).findings, []);
      const dir = makeRepo(std());
      linkSkillsMirror(dir);
      assert.deepEqual((await validateRepo(dir, { strict: true })).findings, []);
    });

    it('a link elsewhere', async () => {
      const dir = makeRepo({ ...std(), 'other/x/SKILL.md': skillMd('x') });
      fs.mkdirSync(path.join(dir, '.agents'));
      fs.symlinkSync('../other', path.join(dir, '.agents/skills'));
      assert.match(await expectOurs(dir, 'skills-mirror-drift', '.agents/skills'), /links to "\.\.\/other"/);
    });

    it('an absolute link', async () => {
      const dir = makeRepo(std());
      fs.mkdirSync(path.join(dir, '.agents'));
      fs.symlinkSync(path.join(dir, '.claude/skills'), path.join(dir, '.agents/skills'));
      assert.match(await expectOurs(dir, 'skills-mirror-drift', '.agents/skills'), /absolute link/);
    });

    it('a broken link', async () => {
      const dir = makeRepo(std());
      fs.mkdirSync(path.join(dir, '.agents'));
      fs.symlinkSync('../nowhere', path.join(dir, '.agents/skills'));
      assert.match(await expectOurs(dir, 'skills-mirror-drift', '.agents/skills'), /broken symbolic link/);
    });

    it('a plain file (checkout without symlinks)', async () => {
      const dir = makeRepo({ ...std(), '.agents/skills': '../.claude/skills' });
      assert.match(await expectOurs(dir, 'skills-mirror-drift', '.agents/skills'), /plain file/);
    });

    it('an identical copy still warns that it will drift', async () => {
      const files = std();
      for (const [p, c] of Object.entries(std()))
        if (p.startsWith('.claude/skills/')) files[p.replace('.claude/', '.agents/')] = c;
      const message = await expectOurs(makeRepo(files), 'skills-mirror-drift', '.agents/skills');
      assert.match(message, /copy .* will drift/);
      assert.match(message, /ln -s \.\.\/\.claude\/skills \.agents\/skills/);
    });

    it('a differing copy lists the differences', async () => {
      const files = {
        ...std(),
        '.agents/skills/init/SKILL.md': skillMd('init', 'Old text.'),
        '.agents/skills/gone/SKILL.md': skillMd('gone'),
      };
      const message = await expectOurs(makeRepo(files), 'skills-mirror-drift', '.agents/skills');
      assert.match(message, /missing help, list, status; extra gone; different init/);
    });
  });

  it('every ours code is provoked by the test files', () => {
    const dir = path.dirname(new URL(import.meta.url).pathname);
    const src = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('validate'))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    for (const code of Object.keys(OURS_CODES)) assert.ok(src.includes(`'${code}'`), code);
  });
});
