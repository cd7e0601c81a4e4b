/** Real image bytes for tests (base64): a 1×1 PNG and a 1×1 JPEG signature, and a PNG of any decoded size. */
export const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** Base64 of `bytes` bytes that begin like a PNG (the rest zeros): for size limits. */
export function pngOfSize(bytes: number): string {
  const head = atob(PNG_1X1).slice(0, 16);
  const raw = head + '\0'.repeat(Math.max(0, bytes - head.length));
  return btoa(raw);
}
