import * as vscode from 'vscode';
import { MCP_CONFIG_PATH, type McpApproval, type McpServerConfigIn, type ProjectMcpSettings } from '../../protocol/mcp';
import type { Project } from '../../protocol/rest/projects';
import { withProgress } from '../commands';
import type { ServerConnection } from '../connection/server-connection';

interface Deps { connection: ServerConnection }

type Action = vscode.QuickPickItem & { action: McpApproval | 'remove' };

/** How a server's approval reads in the list. */
export const approvalLabel = (mode: McpApproval): string => (mode === 'auto' ? 'runs without asking' : 'asks first');

/**
 * One server of `Slipway: MCP Servers`: whether its tools ask before they run (`ask`, the default)
 * or run without asking (`auto`, a server the user trusts), and removing it (the settings' servers;
 * the workspace's are edited in their file). Read-only tools never ask either way.
 */
export async function serverMenu(deps: Deps, project: Project, settings: ProjectMcpSettings, name: string): Promise<void> {
  const current = settings.approvals[name] ?? 'ask';
  const actions: Action[] = [
    { label: '$(shield) Ask before its tools run', description: current === 'ask' ? 'current · default' : 'default', detail: 'Each call of a tool the server does not mark read-only waits for someone of the team to approve it', action: 'ask' },
    { label: '$(pass) Run its tools without asking', description: current === 'auto' ? 'current' : '', detail: 'Only for a server you trust: the agent calls its tools freely (in Act mode)', action: 'auto' },
    ...(settings.servers[name] ? [{ label: '$(trash) Remove this server', action: 'remove' as const }] : []),
  ];
  const choice = await vscode.window.showQuickPick(actions, { title: `MCP server ${name} of ${project.name}`, placeHolder: `Its tools ${approvalLabel(current)}` });
  if (!choice) return;
  if (choice.action === 'remove') return removeServer(deps, project, settings, name);
  if (choice.action === current) return;
  if (choice.action === 'auto') {
    const sure = await vscode.window.showWarningMessage(`Let the agent call every tool of ${name} in "${project.name}" without asking?`, { modal: true }, 'Trust it');
    if (sure !== 'Trust it') return;
  }
  await saveMcp(deps, project, { approvals: { ...settings.approvals, [name]: choice.action } }, `Saving ${name}…`);
}

async function removeServer(deps: Deps, project: Project, settings: ProjectMcpSettings, name: string): Promise<void> {
  if (!settings.servers[name]) {
    void vscode.window.showInformationMessage(`${name} comes from the workspace's ${MCP_CONFIG_PATH}: edit that file to change it.`);
    return;
  }
  const sure = await vscode.window.showWarningMessage(`Remove the MCP server ${name} from "${project.name}"?`, { modal: true }, 'Remove');
  if (sure !== 'Remove') return;
  const { [name]: _removed, ...servers } = settings.servers;
  const { [name]: _trust, ...approvals } = settings.approvals;
  await saveMcp(deps, project, { servers, approvals }, `Removing ${name}…`);
}

export async function saveMcp(
  deps: Deps, project: Project,
  body: { servers?: Record<string, McpServerConfigIn>; disabledTools?: string[]; approvals?: Record<string, McpApproval> }, title: string,
): Promise<void> {
  await withProgress(title, () => deps.connection.rest()('mcp.settings.put', { params: { projectId: project.id }, body }));
}
