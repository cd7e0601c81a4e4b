/**
 * Text may not contain U+0000: PostgreSQL cannot store it, and a NUL in an env value or a path means
 * something else to the programs that get it. Every string of every request (REST bodies, path and
 * query parameters, WebSocket params) and every object key is checked at the boundary, once.
 * Returns where the first one is (`body.env.KEY`, `params.title`), or undefined when there is none.
 */
export function findNul(value: unknown, where: string): string | undefined {
  const stack: [unknown, string][] = [[value, where]];
  while (stack.length) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return path;
    } else if (Array.isArray(item)) {
      item.forEach((entry, i) => stack.push([entry, `${path}.${i}`]));
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, entry] of Object.entries(item)) {
        if (key.includes('\u0000')) return `${path} (a key)`;
        stack.push([entry, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

export const nulMessage = (path: string): string => `${path}: text may not contain NUL (\\u0000) characters`;

/**
 * For text the server did not get from a client (a program's output, a model's reply): the same
 * value with every NUL replaced by U+FFFD, so it can be stored and shown. Shallow structures only.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return (value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value) as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
  }
  return value;
}
