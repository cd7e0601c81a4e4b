import { z } from 'zod';
import { defineTool } from '../tool';

export const projectInfo = defineTool({
  name: 'project_info',
  description: 'Overview of the project: top-level files, detected stack (languages, frameworks, package manager, scripts), running processes, listening ports and their preview URLs, and the project\'s PostgreSQL database if it has one (version, whether reachable, tables).',
  category: 'read',
  input: z.object({}).strict(),
  summarize: () => 'look at the project',
});
