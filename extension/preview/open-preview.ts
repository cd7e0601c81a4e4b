import * as vscode from 'vscode';
import type { Project } from '../../protocol/rest/projects';
import { required, withProgress } from '../commands';
import type { ServerConnection } from '../connection/server-connection';

export type PreviewTarget = 'simpleBrowser' | 'external';

/** The `slipway.preview.openIn` setting. */
export function previewTarget(): PreviewTarget {
  return vscode.workspace.getConfiguration('slipway').get<PreviewTarget>('preview.openIn') === 'external' ? 'external' : 'simpleBrowser';
}

/** Picks one of the ports listening in the sandbox (the only one without asking). */
export async function pickPort(connection: ServerConnection, project: Project): Promise<number> {
  const { items } = await connection.rest()('projects.ports', { params: { projectId: project.id } });
  const ports = [...new Map(items.map((p) => [p.port, p])).values()].sort((a, b) => a.port - b.port);
  if (!ports.length) throw new Error(`Nothing listens on a port in "${project.name}" yet. Start the app (e.g. "npm run dev" in a Slipway terminal), then try again.`);
  if (ports.length === 1) return ports[0]!.port;
  const picked = await vscode.window.showQuickPick(
    ports.map((p) => ({ label: `$(globe) ${p.port}`, description: p.address, port: p.port })),
    { title: `Preview which port of "${project.name}"?` },
  );
  return required(picked).port;
}

/**
 * Opens a port of the project's sandbox through the server's authenticated preview proxy, in the
 * Simple Browser or the external browser (setting). Without `port`, asks which (if several listen).
 * The chat calls this when the agent starts a dev server. Returns the URL it opened.
 */
export async function openPreview(connection: ServerConnection, project: Project, port?: number, target: PreviewTarget = previewTarget()): Promise<string> {
  const chosen = port ?? (await pickPort(connection, project));
  const preview = await withProgress(`Opening the preview of "${project.name}" (port ${chosen})…`, () =>
    connection.rest()('projects.preview', { params: { projectId: project.id }, body: { port: chosen } }));
  if (target === 'external') {
    await vscode.env.openExternal(vscode.Uri.parse(preview.url, true));
    return preview.url;
  }
  await vscode.commands.executeCommand('simpleBrowser.show', preview.url);
  // The Simple Browser's address bar keeps the URL it was opened with: once the page has traded
  // the token for its cookie (however long a busy machine takes to load it, while the link lasts),
  // show the same page at the clean URL (reloads then use the cookie). Not for a preview opened since.
  const opened = ++previewsOpened;
  void redeemed(connection, preview.launchId, Date.parse(preview.expiresAt)).then(async (yes) => {
    if (yes && opened === previewsOpened) await vscode.commands.executeCommand('simpleBrowser.show', preview.cleanUrl);
  });
  return preview.cleanUrl;
}

/** Previews opened in the Simple Browser by this window: only the latest one's address is cleaned. */
let previewsOpened = 0;

/** Waits until the browser has redeemed the launch's token (true), or its link expired or another preview was opened (false). */
async function redeemed(connection: ServerConnection, launchId: string, until: number): Promise<boolean> {
  const opened = previewsOpened;
  for (let pause = 250; Date.now() < until && opened === previewsOpened; pause = Math.min(pause * 1.5, 2000)) {
    const launch = await connection.rest()('previews.launch', { params: { launchId } }).catch(() => undefined);
    if (launch?.redeemed) return true;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  return false;
}
