import { base64Bytes, CONTEXT_LIMITS, ImageAttachment, ImageMediaType, type ImageAttachment as Image } from '../protocol/chat-context';

/** The long edge models are given at most (larger images are scaled down by the providers anyway). */
const MAX_EDGE = 1568;

/**
 * A pasted or dropped file as an image attachment within `budget` decoded bytes: kept as it is
 * when it fits, else drawn smaller (at most 1568 px) and re-encoded as JPEG at falling quality.
 * Throws a sentence for the user when it is no image or cannot be made small enough.
 */
export async function imageFromFile(file: File, budget: number): Promise<Image> {
  const type = ImageMediaType.safeParse(file.type);
  if (!type.success) throw new Error(`${file.name || 'That file'} is not a PNG, JPEG, GIF or WebP image.`);
  const name = (file.name || 'pasted image').slice(0, 200);
  const limit = Math.min(budget, CONTEXT_LIMITS.imageBytes);
  const data = await base64Of(file);
  const original = ImageAttachment.safeParse({ kind: 'image', mediaType: type.data, data, name });
  if (original.success && base64Bytes(data) <= limit) return original.data;
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  for (const quality of [0.85, 0.7, 0.5, 0.35]) {
    const smaller = canvas.toDataURL('image/jpeg', quality).replace(/^data:image\/jpeg;base64,/, '');
    if (base64Bytes(smaller) <= limit) return ImageAttachment.parse({ kind: 'image', mediaType: 'image/jpeg', data: smaller, name });
  }
  throw new Error(`${name} is too large to attach, even scaled down.`);
}

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error(`${file.name || 'The image'} could not be read.`));
    reader.readAsDataURL(file);
  });
}
