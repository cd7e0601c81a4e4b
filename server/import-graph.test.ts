import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The import graph of Slipway's own source files (tests and test helpers left out), type imports included. */
const ROOTS = ['protocol', 'server', 'extension', 'webview', 'sandbox-image', 'bench'];
const repo = resolve(__dirname, '..');
const isTest = (file: string) => /\.(test|suite|e2e)\.ts$|\.testing\.ts$|\/testing\/|\/test\//.test(file);

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name === 'templates') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts') && !isTest(relative(repo, path))) files.push(relative(repo, path));
    }
  };
  for (const root of ROOTS) if (existsSync(join(repo, root))) walk(join(repo, root));
  return files;
}

/** Every relative import, re-export and dynamic import of `file`, resolved to a source file. */
function importsOf(file: string, known: Set<string>): string[] {
  const text = readFileSync(join(repo, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  // `import x from`, `import type {…} from`, `export … from`, `import './x'`, `import('./x')`, `require('./x')`.
  const specifiers = text.matchAll(/(?:\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*|\bimport\s*|\b(?:import|require)\s*\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g);
  for (const [, fileName] of specifiers) {
    if (!fileName) continue;
    const base = relative(repo, resolve(dirname(join(repo, file)), fileName));
    const found = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts')].find((c) => known.has(c));
    if (found) out.push(found);
  }
  return out;
}

/** Strongly connected components with more than one file (or a file importing itself): the cycles. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('import graph', () => {
  const files = sourceFiles();
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f, known)]));

  it('finds cycles when there are some (the check can fail)', () => {
    const sample = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']], ['e', ['e']]]);
    assert.deepEqual(importCycles(sample), [['a', 'b', 'c'], ['e']]);
    assert.ok(graph.get('server/app.ts')!.includes('server/http/error-middleware.ts'), 'the walker reads imports');
    assert.ok(files.length > 200, `only ${files.length} source files found`);
  });

  it('has no import cycles, type imports included', () => {
    assert.deepEqual(importCycles(graph), []);
  });

  it('keeps protocol/ free of node, vscode and the apps', () => {
    const outside = files.filter((f) => f.startsWith('protocol/')).flatMap((f) => graph.get(f)!.filter((to) => !to.startsWith('protocol/')).map((to) => `${f} -> ${to}`));
    assert.deepEqual(outside, []);
  });

  it('keeps the apps apart: the server, the daemon and the extension reach each other only through protocol/', () => {
    const app = (f: string) => ['server/', 'sandbox-image/', 'extension/', 'webview/'].find((p) => f.startsWith(p));
    const crossing = files.flatMap((f) => graph.get(f)!.filter((to) => app(f) && app(to) && app(f) !== app(to)).map((to) => `${f} -> ${to}`));
    assert.deepEqual(crossing, []);
  });
});
