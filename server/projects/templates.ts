import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { resourcePath } from '../resources';

const Manifest = z.object({ title: z.string(), description: z.string(), database: z.boolean().default(false) });

export interface TemplateInfo { name: string; title: string; description: string; database: boolean }

/** Project templates kept in the repository: `server/projects/templates/<name>/{template.json, files/}`. */
export class TemplateCatalog {
  private readonly templates = new Map<string, TemplateInfo & { dir: string }>();

  constructor(root = resourcePath('server', 'projects', 'templates')) {
    for (const name of readdirSync(root).sort()) {
      const dir = join(root, name);
      const manifest = Manifest.parse(JSON.parse(readFileSync(join(dir, 'template.json'), 'utf8')));
      this.templates.set(name, { name, ...manifest, dir: join(dir, 'files') });
    }
  }

  list(): TemplateInfo[] {
    return [...this.templates.values()].map(({ name, title, description, database }) => ({ name, title, description, database }));
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  /** Whether projects made from it get a database. */
  wantsDatabase(name: string): boolean {
    return this.templates.get(name)?.database ?? false;
  }

  /** The template's files as workspace-relative paths and contents, for seeding a workspace. */
  files(name: string): { path: string; content: Buffer }[] {
    const template = this.templates.get(name);
    if (!template) return [];
    const out: { path: string; content: Buffer }[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir).sort()) {
        const full = join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else out.push({ path: relative(template.dir, full), content: readFileSync(full) });
      }
    };
    walk(template.dir);
    return out;
  }
}
