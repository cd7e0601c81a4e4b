import * as vscode from 'vscode';
import { describeError } from '../describe-error';
import type { Logger } from '../log';
import { normalizeServerUrl } from '../server-url';
import { serverUrl, setServerUrl } from '../settings';
import type { SlipwayAuthProvider } from './auth-provider';

/**
 * `vscode://slipway.slipway/signin?server=…&token=…`, the link on the server's /signin page.
 * A link naming another server than the configured one is only followed after a modal question,
 * so a link from elsewhere cannot quietly point the extension at a server the user does not know.
 */
export class SignInUriHandler implements vscode.UriHandler {
  constructor(private readonly auth: SlipwayAuthProvider, private readonly log: Logger) {}

  async handleUri(uri: vscode.Uri): Promise<void> {
    if (uri.path !== '/signin') {
      this.log.warn(`ignored a link to ${uri.path}`);
      return;
    }
    const query = new URLSearchParams(uri.query);
    const server = normalizeServerUrl(query.get('server') ?? '') ?? serverUrl();
    const token = query.get('token') ?? '';
    if (!token) {
      void vscode.window.showErrorMessage('This Slipway sign-in link has no token in it. Open the link from the server again.');
      return;
    }
    if (server !== serverUrl()) {
      const use = 'Sign In';
      const answer = await vscode.window.showWarningMessage(
        `Sign in to the Slipway server at ${server}?`,
        { modal: true, detail: `The link comes from ${server}; the extension is set to use ${serverUrl()}. Only continue if you opened this link yourself.` },
        use,
      );
      if (answer !== use) return;
      await setServerUrl(server);
    }
    try {
      const session = await this.auth.signIn(server, token);
      void vscode.window.showInformationMessage(`Signed in to Slipway as ${session.user.email}.`);
    } catch (error) {
      this.log.error(`sign-in from a link failed: ${String(error)}`);
      void vscode.window.showErrorMessage(describeError(error, server));
    }
  }
}
