import type { todoWrite } from '../definitions/todo-write';
import type { ToolImplementation } from '../tool';

const MARK = { pending: '[ ]', in_progress: '[~]', completed: '[x]' } as const;

export const runTodoWrite: ToolImplementation<typeof todoWrite.input> = async (input, ctx) => {
  ctx.session.todos = input.todos;
  await ctx.emit({ type: 'todo_update', todos: input.todos });
  if (!input.todos.length) return 'The plan is now empty.';
  return `Plan updated:\n${input.todos.map((t) => `${MARK[t.status]} ${t.content}`).join('\n')}`;
};
