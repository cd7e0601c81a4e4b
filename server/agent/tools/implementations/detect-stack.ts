/** What a project is built with, from its file names and package.json. */
export function detectStack(paths: string[], packageJson: string | undefined): string[] {
  const has = (name: string) => paths.includes(name);
  const found: string[] = [];
  if (packageJson !== undefined) {
    let pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; scripts?: Record<string, string>; type?: string } = {};
    try { pkg = JSON.parse(packageJson) as typeof pkg; } catch { found.push('package.json (unreadable JSON)'); }
    const deps = { ...pkg.dependencies, ...pkg.devDependencies };
    const known = ['react', 'next', 'vue', 'svelte', '@sveltejs/kit', 'vite', 'express', 'koa', 'fastify', 'typescript', 'tailwindcss', 'jest', 'vitest', 'mocha', 'prisma', 'astro', '@angular/core'];
    const frameworks = known.filter((name) => name in deps);
    const manager = has('pnpm-lock.yaml') ? 'pnpm' : has('yarn.lock') ? 'yarn' : has('bun.lockb') ? 'bun' : 'npm';
    found.push(`Node.js (${manager}${pkg.type === 'module' ? ', ESM' : ''})${frameworks.length ? ` with ${frameworks.join(', ')}` : ''}`);
    if (pkg.scripts && Object.keys(pkg.scripts).length) found.push(`scripts: ${Object.entries(pkg.scripts).map(([k, v]) => `${k}="${v}"`).join(', ')}`);
    found.push(has('node_modules/') ? 'dependencies installed' : 'node_modules missing (run npm install)');
  }
  if (has('tsconfig.json')) found.push('TypeScript config');
  if (has('pyproject.toml') || has('requirements.txt')) found.push('Python');
  if (has('go.mod')) found.push('Go');
  if (has('Cargo.toml')) found.push('Rust');
  if (has('index.html') || has('public/index.html')) found.push('static HTML');
  if (has('Dockerfile')) found.push('Dockerfile');
  if (has('.git/')) found.push('git repository');
  return found;
}
