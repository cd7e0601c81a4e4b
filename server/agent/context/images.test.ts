import assert from 'node:assert/strict';
import { PNG_1X1 } from '../../../protocol/testing/images';
import { createAnthropicProvider } from '../providers/anthropic';
import { collectAssistantTurn } from '../providers/assistant-turn';
import { createOpenAIProvider } from '../providers/openai';
import type { Message, ModelProvider } from '../providers/provider';
import { ProviderError } from '../providers/provider-errors';
import { estimateMessageTokens, IMAGE_TOKENS } from '../providers/token-estimate';
import { startAnthropicScriptServer } from '../testing/anthropic-script-server';
import { anthropicImages, openaiImages } from '../testing/image-parts';
import { startOpenAIScriptServer } from '../testing/openai-script-server';
import type { ScriptServer, ScriptServerOptions } from '../testing/script-server';
import { acceptsImages, IMAGE_PLACEHOLDER, noImagesNotice, withoutImages } from './image-support';

const KEY = 'sk-test-images-0123456789';
const GIF = btoa('GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;');
const prompt: Message[] = [
  { role: 'user', content: 'What is wrong in this screenshot?', images: [{ type: 'image', mediaType: 'image/png', data: PNG_1X1 }, { type: 'image', mediaType: 'image/gif', data: GIF }] },
];

const wires = [
  { name: 'OpenAI', start: startOpenAIScriptServer, parts: openaiImages, provider: (url: string) => createOpenAIProvider({ baseUrl: url, apiKey: KEY, model: 'gpt-test' }) },
  { name: 'Anthropic', start: startAnthropicScriptServer, parts: anthropicImages, provider: (url: string) => createAnthropicProvider({ baseUrl: url, apiKey: KEY, model: 'claude-test' }) },
] as const;

describe('images to the model', () => {
  let server: ScriptServer;
  afterEach(() => server?.close());

  const ask = (provider: ModelProvider, messages: Message[]) => collectAssistantTurn(provider.stream({ system: 's', messages, tools: [], maxTokens: 100 }));

  for (const wire of wires) {
    describe(wire.name, () => {
      const start = (options: ScriptServerOptions = {}) => wire.start([{ reply: [{ text: 'A red pixel.' }] }], { apiKey: KEY, ...options });

      it('sends each image in the wire format, and the scripted server (checking that format) answers', async () => {
        server = await start();
        const turn = await ask(wire.provider(server.baseUrl), prompt);
        assert.equal(turn.text, 'A red pixel.');
        const [request] = server.requests;
        assert.deepEqual(wire.parts.images(request!.body), [{ mediaType: 'image/png', data: PNG_1X1 }, { mediaType: 'image/gif', data: GIF }]);
        assert.match(JSON.stringify(request!.body.messages), /What is wrong in this screenshot\?/);
      });

      it('a text-only model refuses image parts with a 400, as real ones do (the agent must not send them)', async () => {
        server = await start({ images: false });
        await assert.rejects(ask(wire.provider(server.baseUrl), prompt), (e: unknown) => e instanceof ProviderError && e.httpStatus === 400);
        server.enqueue({ reply: [{ text: 'ok' }] });
        const { messages } = withoutImages([{ seq: 1, message: prompt[0]! }]);
        assert.equal((await ask(wire.provider(server.baseUrl), messages.map((m) => m.message))).text, 'A red pixel.');
        assert.deepEqual(wire.parts.images(server.requests.at(-1)!.body), []);
      });
    });
  }

  it('the scripted servers refuse a malformed image part as the real APIs do', () => {
    const openai = (url: string) => openaiImages.check({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }] }, true);
    assert.equal(openai(`data:image/png;base64,${PNG_1X1}`), undefined);
    assert.match(openai('https://example.invalid/x.png') ?? '', /Invalid image URL/);
    assert.match(openai(`data:image/svg+xml;base64,${PNG_1X1}`) ?? '', /Invalid image URL/);
    const anthropic = (source: unknown, role = 'user') => anthropicImages.check({ messages: [{ role, content: [{ type: 'image', source }] }] }, true);
    assert.equal(anthropic({ type: 'base64', media_type: 'image/png', data: PNG_1X1 }), undefined);
    assert.match(anthropic({ type: 'base64', media_type: 'image/bmp', data: PNG_1X1 }) ?? '', /media_type/);
    assert.match(anthropic({ type: 'base64', media_type: 'image/png', data: PNG_1X1 }, 'assistant') ?? '', /user turns/);
  });

  it('a model without images gets placeholders instead; the notice counts the newest message\'s images only', () => {
    const older: Message = { role: 'user', content: 'first', images: [{ type: 'image', mediaType: 'image/png', data: PNG_1X1 }] };
    const stripped = withoutImages([{ seq: 1, message: older }, { seq: 2, message: { role: 'assistant', content: [{ type: 'text', text: 'ok' }] } }, { seq: 3, message: prompt[0]! }]);
    assert.equal(stripped.latest, 2);
    assert.ok(stripped.messages.every((m) => m.message.role !== 'user' || !m.message.images));
    assert.equal(stripped.messages[2]!.message.content, `What is wrong in this screenshot?\n${IMAGE_PLACEHOLDER}\n${IMAGE_PLACEHOLDER}`);
    assert.equal(withoutImages([{ seq: 1, message: older }, { seq: 2, message: { role: 'user', content: 'no image now' } }]).latest, 0);
    assert.match(noImagesNotice('llama3', 2), /llama3 does not accept images, so the 2 images of this message were not sent/);
  });

  it('decides per model: the team\'s setting, else yes for the providers\' own APIs, no for other endpoints', () => {
    assert.equal(acceptsImages({ kind: 'openai' }, null), true);
    assert.equal(acceptsImages({ kind: 'anthropic' }, null), true);
    assert.equal(acceptsImages({ kind: 'openai', baseUrl: 'http://localhost:11434/v1' }, null), false);
    assert.equal(acceptsImages({ kind: 'openai', baseUrl: 'http://localhost:11434/v1' }, true), true);
    assert.equal(acceptsImages({ kind: 'anthropic' }, false), false);
  });

  it('counts an image as a fixed number of tokens, not its base64 length', () => {
    assert.ok(estimateMessageTokens(prompt[0]!) < 2 * IMAGE_TOKENS + 50);
    assert.ok(estimateMessageTokens(prompt[0]!) >= 2 * IMAGE_TOKENS);
  });
});
