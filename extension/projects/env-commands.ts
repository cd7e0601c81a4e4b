import * as vscode from 'vscode';
import { EnvKey, type EnvVar, type Project } from '../../protocol/rest/projects';
import { required, withProgress } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import { projectFrom } from './pick';
import type { ProjectsModel } from './projects-model';

interface Deps { connection: ServerConnection; model: ProjectsModel }

type Choice = vscode.QuickPickItem & ({ action: 'add'; secret: boolean } | { action: 'edit'; variable: EnvVar });

/**
 * `Slipway: Environment Variables`: lists a project's variables (secret values stay hidden), adds,
 * changes and removes them. Loops until the user closes the list.
 */
export async function manageEnv(deps: Deps, arg?: unknown): Promise<void> {
  const project = await projectFrom(arg, deps.model, 'Environment variables of which project?');
  for (;;) {
    const { items } = await withProgress(`Loading variables of "${project.name}"…`, () => deps.connection.rest()('env.list', { params: { projectId: project.id } }));
    const choices: Choice[] = [
      { label: '$(add) Add a variable', action: 'add', secret: false },
      { label: '$(lock) Add a secret', detail: 'Encrypted on the server; its value is never shown again', action: 'add', secret: true },
      ...(items.length ? [{ label: 'Variables', kind: vscode.QuickPickItemKind.Separator } as Choice] : []),
      ...items.map((variable): Choice => ({
        label: `${variable.secret ? '$(lock)' : '$(symbol-variable)'} ${variable.key}`,
        description: variable.secret ? 'secret' : variable.value ?? '',
        action: 'edit', variable,
      })),
    ];
    const choice = await vscode.window.showQuickPick(choices, { title: `Environment of ${project.name}`, placeHolder: `${items.length} variable(s)` });
    if (!choice) return;
    if (choice.action === 'add') await addVariable(deps, project, choice.secret, items);
    else await editVariable(deps, project, choice.variable);
  }
}

async function addVariable(deps: Deps, project: Project, secret: boolean, existing: EnvVar[]): Promise<void> {
  const key = required(await vscode.window.showInputBox({
    title: secret ? 'Name of the secret' : 'Name of the variable',
    placeHolder: 'DATABASE_URL',
    validateInput: (value) => {
      const parsed = EnvKey.safeParse(value);
      if (!parsed.success) return 'Letters, digits and _, not starting with a digit';
      return existing.some((v) => v.key === value) ? `${value} exists; pick it from the list to change it` : undefined;
    },
  }));
  await setValue(deps, project, key, secret);
}

async function editVariable(deps: Deps, project: Project, variable: EnvVar): Promise<void> {
  const action = await vscode.window.showQuickPick(['Change value', 'Delete'], { title: variable.key });
  if (action === 'Change value') await setValue(deps, project, variable.key, variable.secret, variable.value ?? '');
  if (action === 'Delete') {
    const sure = await vscode.window.showWarningMessage(`Delete ${variable.key} from "${project.name}"?`, { modal: true }, 'Delete');
    if (sure !== 'Delete') return;
    await withProgress(`Deleting ${variable.key}…`, () => deps.connection.rest()('env.delete', { params: { projectId: project.id, key: variable.key } }));
  }
}

async function setValue(deps: Deps, project: Project, key: string, secret: boolean, value = ''): Promise<void> {
  const entered = required(await vscode.window.showInputBox({
    title: `Value of ${key}${secret ? ' (secret)' : ''}`,
    value, password: secret, ignoreFocusOut: secret,
  }));
  await withProgress(`Saving ${key}…`, () => deps.connection.rest()('env.put', { params: { projectId: project.id, key }, body: { value: entered, secret } }));
}
