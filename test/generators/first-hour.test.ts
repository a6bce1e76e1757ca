/**
 * What a newcomer sees from the generators in the first hour (issue 13): prompts asked
 * once and in order, the name tip right after the name, `./run` for each runtime kind,
 * next steps that name the /init script.
 */
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import helpers from 'yeoman-test';
import { generateRepo, generatorPath, readIn, runGenerator, tempDir, withHome } from '../helpers/generators.js';
import AppGenerator from '../../generators/app/index.js';
import { checkName, nameOwnedElsewhere } from '../../lib/names.js';

describe('first hour: prompts, tips and next steps', () => {
  it('the puruto- tip comes right after the name is typed, before the other questions', async () => {
    const events: string[] = [];
    const dir = path.join(tempDir('puruto-fh-'), 'notes');
    await withHome(tempDir('puruto-home-'), async () => {
      const ctx = helpers
        .run(AppGenerator as never, { namespace: 'puruto:app', resolved: generatorPath('app') })
        .withOptions({ skipInstall: true, destination: dir, interactive: true } as never)
        .withAnswers({
          name: 'notes',
          description: 'Notes',
          db: false,
          skills: '',
          ipc: false,
          'agent-tests': false,
        } as never)
        .onGenerator((g) => {
          const gen = g as unknown as {
            log: (m: unknown) => void;
            prompt: (qs: { name: string }[]) => Promise<unknown>;
          };
          const prompt = gen.prompt.bind(gen);
          gen.log = (m) => events.push(`log ${String(m).split('\n')[0]}`);
          gen.prompt = (qs) => {
            events.push(`ask ${qs.map((q) => q.name).join(',')}`);
            return prompt(qs);
          };
        });
      return ctx;
    });
    assert.equal(events[0], 'ask name', events.join('\n'));
    assert.match(events[1]!, /^log tip: "notes" is accepted/);
    assert.match(events[2]!, /^ask description,db,/);
    assert.equal(events.filter((e) => e.startsWith('log tip')).length, 1, 'shown once');
    assert.ok(statSync(dir).isDirectory());
  });

  it('the tip says what the name costs: not registrable, so not seen by the gateway, /call, cron or Telegram', () => {
    const note = checkName('notes').note!;
    assert.match(note, /puruto-data will not register it/);
    assert.match(note, /gateway/);
    assert.match(note, /Telegram channels/);
    assert.match(note, /puruto-notes/);
  });

  it('an ecosystem name given to another kind reads without a doubled word', () => {
    const m = nameOwnedElsewhere('puruto-data', 'standard')!;
    assert.doesNotMatch(m, /\bthe the\b/);
    assert.match(m, /^"puruto-data" is the private data vault/);
  });

  for (const kind of ['data', 'telegram', 'cron', 'gateway']) {
    it(`puruto:${kind} in a terminal does not ask for its fixed name`, async () => {
      let asked: string[] = [];
      const dir = path.join(tempDir('puruto-fh-'), `puruto-${kind}`);
      await withHome(tempDir('puruto-home-'), async () => {
        const result = await runGenerator(kind, {
          options: { destination: dir, interactive: true },
          answers: { description: 'Mine' },
        });
        asked = ((result as unknown as { askedQuestions?: { name: string }[] }).askedQuestions ?? []).map(
          (q) => q.name,
        );
      });
      assert.deepEqual(asked, ['description']);
      assert.equal(JSON.parse(readIn(dir, '.yo-rc.json'))['generator-puruto'].answers.name, `puruto-${kind}`);
    });
  }

  for (const kind of ['telegram', 'cron', 'gateway']) {
    it(`puruto-${kind} gets ./run, executable, which starts its runtime`, async () => {
      const dir = await generateRepo(kind, { yes: true }, {}, `puruto-${kind}`);
      const run = path.join(dir, 'run');
      assert.equal(statSync(run).mode & 0o111, 0o111, 'executable');
      const text = readIn(dir, 'run');
      assert.match(text, /^#!\/usr\/bin\/env python3\n/);
      assert.match(text, /from puruto_env import missing_modules, runtime_python/);
      assert.doesNotMatch(text, /<%|undefined/);
      assert.match(readIn(dir, 'README.md'), /^\.\/run +# /m);
    });
  }
});
