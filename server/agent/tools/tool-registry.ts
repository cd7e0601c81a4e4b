import { z } from 'zod';
import type { ToolDefinition } from '../providers/provider';
import { editFile } from './definitions/edit-file';
import { fetchUrl } from './definitions/fetch-url';
import { gitCommit } from './definitions/git-commit';
import { gitPush } from './definitions/git-push';
import { grep } from './definitions/grep';
import { killProcess } from './definitions/kill-process';
import { listFiles } from './definitions/list-files';
import { projectInfo } from './definitions/project-info';
import { readFile } from './definitions/read-file';
import { readOutput } from './definitions/read-output';
import { runCommand } from './definitions/run-command';
import { shell } from './definitions/shell';
import { todoWrite } from './definitions/todo-write';
import { writeFile } from './definitions/write-file';
import { runEditFile } from './implementations/edit-file';
import { runFetchUrl } from './implementations/fetch-url';
import { runGitCommit } from './implementations/git-commit';
import { runGitPush } from './implementations/git-push';
import { runGrep } from './implementations/grep';
import { runKillProcess } from './implementations/kill-process';
import { runListFiles } from './implementations/list-files';
import { runProjectInfo } from './implementations/project-info';
import { runReadFile } from './implementations/read-file';
import { runReadOutput } from './implementations/read-output';
import { runRunCommand } from './implementations/run-command';
import { runShell } from './implementations/shell';
import { runTodoWrite } from './implementations/todo-write';
import { runWriteFile } from './implementations/write-file';
import type { ToolDefinitionOf, ToolImplementation } from './tool';

export interface RegisteredTool {
  def: ToolDefinitionOf;
  run: ToolImplementation<z.ZodObject>;
}

const entry = <S extends z.ZodObject>(def: ToolDefinitionOf<S>, run: ToolImplementation<S>): RegisteredTool =>
  ({ def, run }) as unknown as RegisteredTool;

/** Every tool of the agent: its definition next to its implementation. */
export const TOOLS: readonly RegisteredTool[] = [
  entry(readFile, runReadFile),
  entry(writeFile, runWriteFile),
  entry(editFile, runEditFile),
  entry(listFiles, runListFiles),
  entry(grep, runGrep),
  entry(runCommand, runRunCommand),
  entry(shell, runShell),
  entry(readOutput, runReadOutput),
  entry(killProcess, runKillProcess),
  entry(fetchUrl, runFetchUrl),
  entry(todoWrite, runTodoWrite),
  entry(projectInfo, runProjectInfo),
  entry(gitCommit, runGitCommit),
  entry(gitPush, runGitPush),
];

export const toolByName = new Map(TOOLS.map((tool) => [tool.def.name, tool]));

/** Tool definitions for the model, with JSON Schemas generated from the zod inputs. */
export const toolDefinitions: ToolDefinition[] = TOOLS.map(({ def }) => {
  const { $schema: _schema, ...schema } = z.toJSONSchema(def.input, { io: 'input' }) as Record<string, unknown>;
  return { name: def.name, description: def.description, inputSchema: { ...schema, type: 'object' } };
});
