import type { Message, ToolDefinition } from '../providers/provider';

/** A conversation with every message kind, for tests of how providers translate requests. */
export const sampleConversation: Message[] = [
  { role: 'user', content: 'Make a todo app.' },
  {
    role: 'assistant',
    content: [
      { type: 'text', text: 'Let me look around first.' },
      { type: 'tool_call', id: 'call_read', name: 'read_file', input: { path: 'package.json' } },
      { type: 'tool_call', id: 'call_list', name: 'list_dir', input: { path: 'src' } },
    ],
  },
  { role: 'tool', toolCallId: 'call_read', content: '{"name":"todo"}' },
  { role: 'tool', toolCallId: 'call_list', content: 'ENOENT: no such directory', isError: true },
  { role: 'user', content: 'Use TypeScript.' },
];

export const sampleTools: ToolDefinition[] = [
  {
    name: 'read_file',
    description: 'Reads a file of the project.',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'], additionalProperties: false },
  },
  {
    name: 'list_dir',
    description: 'Lists a directory.',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
];
