import * as vscode from 'vscode';
import { parseCommandLine } from './command-line';
import { MCP_CONFIG_PATH, McpServerName, type McpServerConfigIn, type McpStatusReport, type ProjectMcpSettings } from '../../protocol/mcp';
import type { Project } from '../../protocol/rest/projects';
import { required, withProgress } from '../commands';
import { approvalLabel, saveMcp, serverMenu } from './mcp-server-menu';
import type { ServerConnection } from '../connection/server-connection';
import { projectFrom } from './pick';
import type { ProjectsModel } from './projects-model';

interface Deps { connection: ServerConnection; model: ProjectsModel }

type Choice = vscode.QuickPickItem & ({ action: 'stdio' | 'http' | 'tools' } | { action: 'server'; name: string });

const MARKS = { ready: '$(pass)', starting: '$(loading~spin)', failed: '$(error)' } as const;

/**
 * `Slipway: MCP Servers`: the project's MCP servers (its settings' and, once a turn has started
 * them, the workspace's `.slipway/mcp.json` ones) with their state; adds and removes the settings'
 * servers, sets whether each server's tools ask first, and turns tools on or off. Env and header values stay on the server.
 */
export async function manageMcp(deps: Deps, arg?: unknown): Promise<void> {
  const project = await projectFrom(arg, deps.model, 'MCP servers of which project?');
  const rest = () => deps.connection.rest();
  for (;;) {
    const [settings, status] = await withProgress(`Loading MCP servers of "${project.name}"…`, () => Promise.all([
      rest()('mcp.settings.get', { params: { projectId: project.id } }),
      rest()('mcp.status', { params: { projectId: project.id } }),
    ]));
    const running = new Map(status.servers.map((s) => [s.name, s]));
    const names = [...new Set([...Object.keys(settings.servers), ...running.keys()])];
    const choices: Choice[] = [
      { label: '$(add) Add a stdio server', detail: 'A command run inside the project\'s sandbox (it gets the project\'s environment variables)', action: 'stdio' },
      { label: '$(globe) Add an HTTP server', detail: 'A streamable-HTTP MCP server, reached from the sandbox\'s network', action: 'http' },
      { label: '$(tools) Turn tools on or off', action: 'tools' },
      { label: `Servers (also from ${MCP_CONFIG_PATH})`, kind: vscode.QuickPickItemKind.Separator } as Choice,
      ...names.map((name): Choice => {
        const live = running.get(name);
        return {
          label: `${live ? MARKS[live.state] : '$(circle-outline)'} ${name}`,
          description: `${settings.servers[name] ? 'settings' : 'workspace'}${live ? ` · ${live.state} · ${live.tools.length} tools` : ' · not started yet'} · ${approvalLabel(settings.approvals[name] ?? 'ask')}`,
          ...(live?.error && { detail: live.error }),
          action: 'server', name,
        };
      }),
    ];
    const choice = await vscode.window.showQuickPick(choices, { title: `MCP servers of ${project.name}`, placeHolder: 'Servers start with the agent\'s next turn' });
    if (!choice) return;
    if (choice.action === 'stdio' || choice.action === 'http') await addServer(deps, project, settings, choice.action);
    else if (choice.action === 'tools') await chooseTools(deps, project, settings, status);
    else if ('name' in choice) await serverMenu(deps, project, settings, choice.name);
  }
}

async function addServer(deps: Deps, project: Project, settings: ProjectMcpSettings, kind: 'stdio' | 'http'): Promise<void> {
  const name = required(await vscode.window.showInputBox({
    title: 'Server name (its tools are named <name>__<tool>)', placeHolder: 'github',
    validateInput: (value) => McpServerName.safeParse(value).success ? (settings.servers[value] ? `${value} exists` : undefined) : '1-32 letters, digits and dashes',
  }));
  let server: McpServerConfigIn;
  if (kind === 'stdio') {
    const line = required(await vscode.window.showInputBox({
      title: `Command of ${name} (arguments separated by spaces; quote one that has spaces)`, placeHolder: 'npx -y @modelcontextprotocol/server-memory',
      validateInput: (v) => { const parsed = parseCommandLine(v); return 'error' in parsed ? parsed.error : undefined; },
    }));
    const parsed = parseCommandLine(line);
    if ('error' in parsed) return;
    server = { type: 'stdio', command: parsed.command, args: parsed.args };
  } else {
    const url = required(await vscode.window.showInputBox({ title: `URL of ${name}`, placeHolder: 'https://mcp.example.com/mcp', validateInput: (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : 'An http:// or https:// URL') }));
    const token = required(await vscode.window.showInputBox({ title: `Authorization header for ${name} (optional; encrypted, never shown again)`, placeHolder: 'Bearer …', password: true, ignoreFocusOut: true }));
    server = { type: 'http', url, headers: token ? { Authorization: token } : {} };
  }
  await saveMcp(deps, project, { servers: { ...settings.servers, [name]: server } }, `Adding ${name}…`);
}

async function chooseTools(deps: Deps, project: Project, settings: ProjectMcpSettings, status: McpStatusReport): Promise<void> {
  const items = status.servers.flatMap((server) => server.tools.map((tool) => ({ label: tool.name, description: tool.readOnly ? 'read-only' : approvalLabel(settings.approvals[server.name] ?? 'ask'), detail: tool.description, picked: tool.enabled })));
  if (!items.length) {
    void vscode.window.showInformationMessage('No MCP tools yet: servers start with the agent\'s next turn in this project.');
    return;
  }
  const picked = required(await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Tools the agent may use' }));
  const on = new Set(picked.map((item) => item.label));
  const known = new Set(items.map((item) => item.label));
  const disabledTools = [...settings.disabledTools.filter((name) => !known.has(name)), ...items.filter((item) => !on.has(item.label)).map((item) => item.label)];
  await saveMcp(deps, project, { disabledTools }, 'Saving…');
}
