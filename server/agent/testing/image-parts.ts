/**
 * Image parts as the real APIs take them, checked by the scripted servers: a request whose image
 * part is malformed is refused with the provider's own 400, and a server scripted as a text-only
 * model refuses any image, as text-only models do. `images` returns what arrived, for assertions.
 */

export interface ReceivedImage {
  mediaType: string;
  data: string;
}

const MEDIA_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const contentsOf = (body: Record<string, unknown>) => (Array.isArray(body.messages) ? body.messages : []).filter(isRecord).map((m, index) => ({ index, role: m.role, content: m.content }));

/** OpenAI Chat Completions: `{type: 'image_url', image_url: {url: 'data:image/png;base64,…'}}` in a user message's content. */
export const openaiImages = {
  check(body: Record<string, unknown>, acceptsImages: boolean): string | undefined {
    for (const { index, role, content } of contentsOf(body)) {
      if (!Array.isArray(content)) continue;
      for (const [at, part] of content.entries()) {
        if (!isRecord(part)) return `Invalid type for 'messages[${index}].content[${at}]'.`;
        if (part.type === 'text') continue;
        if (part.type !== 'image_url') return `Invalid value: '${String(part.type)}'. Supported values are: 'text' and 'image_url'.`;
        if (role !== 'user') return `Image URLs are only allowed for messages with role 'user', but this message with role '${String(role)}' contains an image URL.`;
        if (!acceptsImages) return 'Invalid content type. image_url is only supported by certain models.';
        const url = isRecord(part.image_url) ? part.image_url.url : undefined;
        const match = typeof url === 'string' ? /^data:([^;,]+);base64,(.*)$/s.exec(url) : null;
        if (!match || !MEDIA_TYPES.has(match[1]!) || !BASE64.test(match[2]!)) return "Invalid image URL: 'messages[" + index + `].content[${at}].image_url.url'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got an invalid value.`;
      }
    }
    return undefined;
  },
  images(body: Record<string, unknown>): ReceivedImage[] {
    return contentsOf(body).flatMap(({ content }) => (Array.isArray(content) ? content : []).filter(isRecord).flatMap((part) => {
      const url = part.type === 'image_url' && isRecord(part.image_url) ? String(part.image_url.url) : '';
      const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
      return match ? [{ mediaType: match[1]!, data: match[2]! }] : [];
    }));
  },
};

/** Anthropic Messages: `{type: 'image', source: {type: 'base64', media_type, data}}` blocks in a user turn. */
export const anthropicImages = {
  check(body: Record<string, unknown>, acceptsImages: boolean): string | undefined {
    for (const { index, role, content } of contentsOf(body)) {
      if (!Array.isArray(content)) continue;
      for (const [at, block] of content.entries()) {
        if (!isRecord(block) || block.type !== 'image') continue;
        const where = `messages.${index}.content.${at}.image`;
        if (role !== 'user') return `${where}: images are only allowed in user turns`;
        if (!acceptsImages) return `${where}: this model does not support image input`;
        const source = isRecord(block.source) ? block.source : {};
        if (source.type !== 'base64') return `${where}.source: Input tag '${String(source.type)}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`;
        if (!MEDIA_TYPES.has(String(source.media_type))) return `${where}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`;
        if (typeof source.data !== 'string' || !BASE64.test(source.data)) return `${where}.source.base64.data: invalid base64 data`;
      }
    }
    return undefined;
  },
  images(body: Record<string, unknown>): ReceivedImage[] {
    return contentsOf(body).flatMap(({ content }) => (Array.isArray(content) ? content : []).filter(isRecord).flatMap((block) => {
      const source = block.type === 'image' && isRecord(block.source) ? block.source : undefined;
      return source ? [{ mediaType: String(source.media_type), data: String(source.data) }] : [];
    }));
  },
};
