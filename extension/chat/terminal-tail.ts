import { stripVTControlCharacters } from 'node:util';
import { CONTEXT_LIMITS } from '../../protocol/chat-context';

/** What a terminal showed, as text for the model: escape sequences gone, \r\n as \n, the last 16 000 characters. */
export function terminalTail(shown: string): string {
  return stripVTControlCharacters(shown).replace(/\r\n?/g, '\n').trimEnd().slice(-CONTEXT_LIMITS.terminalChars);
}
