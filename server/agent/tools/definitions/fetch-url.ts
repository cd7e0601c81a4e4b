import { z } from 'zod';
import { defineTool } from '../tool';

export const fetchUrl = defineTool({
  name: 'fetch_url',
  description: 'Fetch a web page or file over HTTP(S) from inside the sandbox (documentation, an API, the app itself on localhost). HTML is turned into readable text. Size and time are limited.',
  category: 'network',
  input: z.object({
    url: z.url({ protocol: /^https?$/ }).describe('An http:// or https:// URL'),
    max_bytes: z.number().int().min(1000).max(2_000_000).default(300_000),
    timeout_seconds: z.number().int().min(1).max(60).default(20),
    raw: z.boolean().default(false).describe('Return HTML as is instead of converting it to text'),
  }).strict(),
  summarize: (input) => `fetch ${input.url}`,
});
