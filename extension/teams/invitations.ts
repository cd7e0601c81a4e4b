import * as vscode from 'vscode';
import type { Invitation } from '../../protocol/rest/teams';
import { registerCommand } from '../commands';
import type { ServerConnection } from '../connection/server-connection';
import type { Logger } from '../log';

/**
 * Invitations to teams: offered once per sign-in as a notification with Accept / Decline, and again
 * on demand (`Slipway: Show Team Invitations`). Joining refreshes the projects.
 */
export function registerInvitations(connection: ServerConnection, log: Logger): vscode.Disposable[] {
  let offeredFor: string | undefined;
  const offer = async (all: boolean) => {
    const { items } = await connection.rest()('invitations.list', {});
    if (all && !items.length) void vscode.window.showInformationMessage('No pending invitations to Slipway teams.');
    await Promise.all(items.map((invitation) => ask(invitation)));
  };
  const ask = async (invitation: Invitation) => {
    const who = invitation.invitedBy ? `${invitation.invitedBy} invited you` : 'You are invited';
    const choice = await vscode.window.showInformationMessage(`${who} to join the Slipway team "${invitation.teamName}" as ${invitation.role}.`, 'Accept', 'Decline');
    if (!choice) return;
    const call = connection.rest();
    if (choice === 'Accept') {
      await call('invitations.accept', { params: { invitationId: invitation.id } });
      log.info(`joined team ${invitation.teamName}`);
      await vscode.commands.executeCommand('slipway.refreshProjects');
    } else {
      await call('invitations.decline', { params: { invitationId: invitation.id } });
    }
  };
  const failed = (error: unknown) => log.warn(`invitations: ${connection.explain(error)}`);
  return [
    connection.onDidChange((state) => {
      if (!state.signedIn || state.socket.status !== 'open' || offeredFor === state.session.token) return;
      offeredFor = state.session.token;
      offer(false).catch(failed);
    }),
    registerCommand('slipway.showInvitations', () => offer(true), { log, explain: (e) => connection.explain(e) }),
  ];
}
