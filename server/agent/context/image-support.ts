import type { ProviderConfig } from '../providers/registry';
import type { SeqMessage } from '../loop/conversation';

/**
 * Whether a model is sent images. The team's setting decides when it made one; otherwise OpenAI's
 * and Anthropic's own APIs are assumed to take them (their current models do), and any other
 * endpoint (an OpenAI-compatible server: Ollama, vLLM, LiteLLM…) is assumed not to, since many
 * local models read text only and their servers refuse image parts with an opaque 400.
 */
export function acceptsImages(config: Pick<ProviderConfig, 'kind' | 'baseUrl'>, setting: boolean | null | undefined): boolean {
  if (setting !== null && setting !== undefined) return setting;
  return config.kind === 'anthropic' ? !config.baseUrl || config.baseUrl.includes('anthropic.com') : !config.baseUrl || config.baseUrl.includes('api.openai.com');
}

/** What a model that takes no images reads in their place. */
export const IMAGE_PLACEHOLDER = '[An image was attached here, but this model does not accept images, so it was not sent.]';

/** The conversation with every image replaced by a note; `latest` counts those of the newest user message. */
export function withoutImages(messages: SeqMessage[]): { messages: SeqMessage[]; latest: number } {
  const lastUser = messages.findLastIndex((m) => m.message.role === 'user');
  let latest = 0;
  const out = messages.map((entry, index) => {
    const { message } = entry;
    if (message.role !== 'user' || !message.images?.length) return entry;
    if (index === lastUser) latest = message.images.length;
    return { seq: entry.seq, message: { role: 'user' as const, content: `${message.content}\n${message.images.map(() => IMAGE_PLACEHOLDER).join('\n')}` } };
  });
  return { messages: out, latest };
}

export const noImagesNotice = (model: string, count: number): string =>
  `${model} does not accept images, so the ${count === 1 ? 'image' : `${count} images`} of this message ${count === 1 ? 'was' : 'were'} not sent to it; ` +
  'the agent only reads the text. A team admin can choose a model that accepts images, or mark this one as accepting them (Slipway: Set Team Model).';
