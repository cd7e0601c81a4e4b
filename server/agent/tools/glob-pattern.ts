import picomatch from 'picomatch';

/**
 * A glob as a test on `/`-separated relative paths (picomatch): `*` and `?` stay within a name, `**`
 * crosses directories, `{a,b}` picks one, `[abc]` a class (`[!abc]` its negation); dotfiles match like any name. A pattern
 * without `/` matches names at any depth (like .gitignore).
 */
export function globMatcher(pattern: string): (path: string) => boolean {
  const anchored = pattern.includes('/') ? pattern.replace(/^\.?\//, '') : `**/${pattern}`;
  // Shells and .gitignore write a negated class `[!ab]`; picomatch reads only `[^ab]` that way.
  return picomatch(anchored.replace(/\[!/g, '[^'), { dot: true });
}
