import type { ChatWriter } from '../events/chat-writer';
import type { ModelProvider } from '../providers/provider';
import { estimateRequestTokens } from '../providers/token-estimate';
import { summarise } from './compaction';
import { SUMMARY_PREFIX, type SeqMessage } from './conversation';
import type { TurnClock } from './turn-timing';

/**
 * `/compact`: the whole conversation so far becomes one summary, whatever its size (automatic
 * compaction keeps a recent tail and waits until the context fills). A chat with next to nothing
 * to summarise hears so instead.
 */
export async function compactNow(provider: ModelProvider, messages: SeqMessage[], writer: ChatWriter, signal: AbortSignal, clock: TurnClock): Promise<void> {
  if (messages.length < 2) {
    await writer.emit({ type: 'notice', message: 'Nothing to compact yet: the conversation is empty or a single message.' });
    return;
  }
  const tokens = (list: SeqMessage[]) => estimateRequestTokens({ system: '', tools: [], messages: list.map((m) => m.message) });
  const summary = await clock.model(() => summarise(provider, messages, signal));
  const after = tokens([{ seq: 0, message: { role: 'user', content: SUMMARY_PREFIX + summary } }]);
  await writer.emit({ type: 'compaction', summary, upToSeq: messages.at(-1)!.seq, tokensBefore: tokens(messages), tokensAfter: after });
}
