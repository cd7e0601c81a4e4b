import assert from 'node:assert/strict';
import { createRestClient, type FetchLike, type RestClient } from '../../protocol/client/rest-client';
import { stopTestCluster } from '../../server/testing/postgres';
import { startTestServer, type TestServer } from '../../server/testing/test-server';
import { describeError } from '../describe-error';
import { addModelBody, parseContext, parsePrice } from './team-model-entry';
import { addTeamModel, removeTeamModel, showTeamModels, type Prompts, type TeamRef } from './team-models-flow';

after(() => stopTestCluster());

/**
 * Prompts answered from a script, as a user would type: each input's answers are tried in turn and
 * every one but the last must be refused by the prompt's own check (so the test sees the validation).
 */
function scripted(answers: (string | string[] | { pick: string } | boolean)[]) {
  const asked: { prompt: string; password?: boolean; refused: string[] }[] = [];
  const picks: { placeHolder: string; labels: string[] }[] = [];
  const next = () => {
    if (!answers.length) throw new Error('the flow asked more than the script answers');
    return answers.shift()!;
  };
  const prompts: Prompts = {
    async pick(placeHolder, items) {
      picks.push({ placeHolder, labels: items.map((i) => `${i.label} | ${i.description ?? ''}`) });
      if (!answers.length) return undefined;
      const answer = next() as { pick: string };
      const item = items.find((i) => i.label.startsWith(answer.pick));
      assert.ok(item, `no "${answer.pick}" among ${items.map((i) => i.label).join(', ')}`);
      return item.value;
    },
    async input(options) {
      const tries = ([] as string[]).concat(next() as string | string[]);
      const refused: string[] = [];
      for (const [i, value] of tries.entries()) {
        const problem = options.validate(value);
        if (i < tries.length - 1) {
          assert.ok(problem, `"${value}" should be refused at "${options.prompt}"`);
          refused.push(problem);
        } else assert.equal(problem, undefined, `"${value}" should be taken at "${options.prompt}"`);
      }
      asked.push({ prompt: options.prompt, password: options.password, refused });
      return tries.at(-1);
    },
    async confirm() {
      return next() as boolean;
    },
  };
  return { prompts, asked, picks, left: () => answers.length };
}

describe('Team models from the extension (Add / Remove / Show), against the real server', () => {
  let s: TestServer;
  let admin: Awaited<ReturnType<TestServer['signUp']>>;
  let member: Awaited<ReturnType<TestServer['signUp']>>;
  const restAs = (token: string): RestClient => createRestClient({ baseUrl: s.url, fetch: globalThis.fetch as FetchLike, token: () => token });
  let team: TeamRef;

  before(async () => {
    s = await startTestServer();
    admin = await s.signUp('models-admin');
    member = await s.signUp('models-member');
    await s.addMember(admin, admin.teamId, member, 'member');
    team = { id: admin.teamId, name: 'Admin team', role: 'owner' };
  });
  after(async () => { await s.close(); });

  it('an admin adds an Anthropic model: each field checked as typed, the key in a password box and never listed', async () => {
    const script = scripted([
      { pick: 'Anthropic' },
      ['  ', 'claude-sonnet-4-5'],
      ['', 'Claude (long tasks)'],
      ['', 'sk-ant-secret-0123456789'],
      ['lots', '100', '200000'],
      ['cheap', '3 / -1', '3 / 15'],
    ]);
    const added = await addTeamModel(restAs(admin.token), script.prompts, team);
    assert.equal(script.left(), 0);
    assert.ok(added?.id);
    assert.deepEqual({ name: added.name, kind: added.kind, model: added.model, ctx: added.contextTokens, price: added.price, src: added.contextSource },
      { name: 'Claude (long tasks)', kind: 'anthropic', model: 'claude-sonnet-4-5', ctx: 200_000, price: { inputPerMTok: 3, outputPerMTok: 15 }, src: 'configured' });
    assert.deepEqual(script.asked.map((a) => a.refused.length), [1, 1, 1, 2, 2], 'every bad value was refused by its prompt');
    assert.equal(script.asked.find((a) => /API key/.test(a.prompt))?.password, true);
    assert.match(script.asked[2]!.refused[0]!, /needed/, 'Anthropic needs a key');

    const listed = await s.call('GET', `/api/teams/${admin.teamId}/models`, { token: member.token });
    assert.equal(listed.status, 200);
    assert.ok(listed.body.items.some((o: { id: string }) => o.id === added.id), 'a member sees it');
    assert.doesNotMatch(JSON.stringify(listed.body), /sk-ant-secret/);
  });

  it('an OpenAI-compatible model asks for its base URL and whether it takes images; empty context and price are "not set"; the server refusal comes back in its words', async () => {
    const script = scripted([
      { pick: 'OpenAI-compatible' },
      ['ftp://models', 'http://127.0.0.1:11434/v1'],
      'qwen3-coder', ['', 'Local qwen'], '', '', '',
      { pick: 'Text only' },
    ]);
    const body = addModelBody({ choice: 'compatible', baseUrl: 'https://models.example.com/v1', model: 'qwen3-coder', name: 'qwen3-coder', apiKey: '', context: '', price: '', supportsImages: false });
    assert.deepEqual({ ...body }, { name: 'qwen3-coder', kind: 'openai', model: 'qwen3-coder', baseUrl: 'https://models.example.com/v1', apiKey: '', contextTokens: null, price: null, supportsImages: false });
    // This server does not let team endpoints reach loopback (its default): its reason is carried unchanged.
    const error = await addTeamModel(restAs(admin.token), script.prompts, team).then(() => undefined, (e: unknown) => e);
    assert.equal(script.left(), 0);
    assert.match(describeError(error, s.url), /baseUrl: .*modelHostAllowList/);
  });

  it('a member is told only admins add or remove, before typing anything; the server refuses them too', async () => {
    const asMember: TeamRef = { ...team, role: 'member' };
    const script = scripted([]);
    await assert.rejects(addTeamModel(restAs(member.token), script.prompts, asMember), /Only the owner and admins .* add .*you are a member/);
    await assert.rejects(removeTeamModel(restAs(member.token), script.prompts, asMember), /Only the owner and admins .* remove/);
    assert.equal(script.asked.length + script.picks.length, 0);
    const direct = await s.call('POST', `/api/teams/${admin.teamId}/models`, { token: member.token, body: addModelBody({ choice: 'openai', baseUrl: null, model: 'gpt-4.1', name: 'sneaky', apiKey: 'sk-x', context: '', price: '', supportsImages: null }) });
    assert.equal(direct.status, 403);

    const show = scripted([]);
    await showTeamModels(restAs(member.token), show.prompts, asMember);
    assert.match(show.picks[0]!.placeHolder, /Only the team's admins/);
    assert.ok(show.picks[0]!.labels.some((l) => /^Claude \(long tasks\) \| claude-sonnet-4-5 · 200k context · \$3 \/ \$15/.test(l)), show.picks[0]!.labels.join('\n'));
  });

  it('an admin removes a model after confirming; declining keeps it; another team\'s admin cannot', async () => {
    const other = await s.signUp('other-admin');
    const stranger = scripted([{ pick: 'Claude' }]);
    await assert.rejects(removeTeamModel(restAs(other.token), stranger.prompts, { ...team, role: 'admin' }));

    const keep = scripted([{ pick: 'Claude' }, false]);
    assert.equal(await removeTeamModel(restAs(admin.token), keep.prompts, team), undefined);
    const names = async () => ((await s.call('GET', `/api/teams/${admin.teamId}/models`, { token: admin.token })).body.items as { name: string }[]).map((o) => o.name);
    assert.ok((await names()).includes('Claude (long tasks)'));

    const go = scripted([{ pick: 'Claude' }, true]);
    assert.equal((await removeTeamModel(restAs(admin.token), go.prompts, team))?.name, 'Claude (long tasks)');
    assert.ok(!(await names()).includes('Claude (long tasks)'));
  });

  it('parses context windows and prices as typed', () => {
    assert.equal(parseContext(' 200,000 '), 200_000);
    assert.equal(parseContext(''), null);
    assert.equal(parseContext('1999'), undefined);
    assert.equal(parseContext('2e5'), undefined);
    assert.deepEqual(parsePrice('0.15/0.6'), { inputPerMTok: 0.15, outputPerMTok: 0.6 });
    assert.deepEqual(parsePrice('3, 15'), { inputPerMTok: 3, outputPerMTok: 15 });
    assert.equal(parsePrice('3'), undefined);
    assert.equal(parsePrice('3 / 20000'), undefined);
  });
});
