import { z } from 'zod';
import { TodoItem } from '../../../../protocol/chat';
import { defineTool } from '../tool';

export const todoWrite = defineTool({
  name: 'todo_write',
  description: 'Replace your visible plan for this task: the whole list of steps with their status. The user sees it. Keep exactly one step in_progress while working.',
  category: 'read',
  input: z.object({ todos: z.array(TodoItem).max(50) }).strict(),
  summarize: (input) => `update the plan (${input.todos.length} steps)`,
});
