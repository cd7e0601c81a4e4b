import assert from 'node:assert/strict';
import { completions, findModel, parseInput } from './slash-commands';

describe('chat slash commands', () => {
  it('parses commands with their argument, and leaves messages alone', () => {
    assert.deepEqual(parseInput('/plan add a login page'), { kind: 'command', name: 'plan', arg: 'add a login page' });
    assert.deepEqual(parseInput('  /ACT  '), { kind: 'command', name: 'act', arg: '' });
    assert.deepEqual(parseInput('/checkpoint before the refactor\nsecond line'), { kind: 'command', name: 'checkpoint', arg: 'before the refactor\nsecond line' });
    assert.deepEqual(parseInput('/new'), { kind: 'command', name: 'new', arg: '' });
    assert.deepEqual(parseInput('fix /etc/hosts'), { kind: 'message', text: 'fix /etc/hosts' });
    assert.deepEqual(parseInput('/etc/hosts is wrong'), { kind: 'message', text: '/etc/hosts is wrong' });
    assert.deepEqual(parseInput('//plan is a word'), { kind: 'message', text: '/plan is a word' });
    const unknown = parseInput('/deploy now');
    assert.equal(unknown.kind, 'unknown');
    assert.match(unknown.kind === 'unknown' ? unknown.message : '', /Unknown command \/deploy\. Commands: \/new, \/plan, \/act, \/compact, \/checkpoint, \/model/);
  });

  it('completes a command being typed, and nothing once it has a space', () => {
    assert.deepEqual(completions('/').map((c) => c.name), ['new', 'plan', 'act', 'compact', 'checkpoint', 'model']);
    assert.deepEqual(completions('/c').map((c) => c.name), ['compact', 'checkpoint']);
    assert.deepEqual(completions('/pl').map((c) => c.name), ['plan']);
    assert.deepEqual(completions('/plan x'), []);
    assert.deepEqual(completions('hello /'), []);
    assert.deepEqual(completions('/zzz'), []);
  });

  it('finds a model by name or id, exactly or by the only matching prefix', () => {
    const models = [{ name: 'Team default', model: 'gpt-4.1' }, { name: 'Claude', model: 'claude-sonnet-4-6' }, { name: 'Claude fast', model: 'claude-haiku-4-5' }];
    assert.equal(findModel(models, 'claude')?.model, 'claude-sonnet-4-6', 'an exact name wins over prefixes');
    assert.equal(findModel(models, 'claude-h')?.name, 'Claude fast');
    assert.equal(findModel(models, 'team')?.model, 'gpt-4.1');
    assert.equal(findModel(models, 'cl'), undefined, 'ambiguous');
    assert.equal(findModel(models, 'llama'), undefined);
  });
});
