import assert from 'node:assert/strict';
import * as vscode from 'vscode';

/**
 * Runs inside the real extension host (mocha's `describe`/`it` globals): what only the VS Code API
 * can show. Run by the code-server e2e test (payload extensionTestsPath) or by @vscode/test-cli.
 */
describe('Slipway inside the extension host', () => {
  const extension = () => vscode.extensions.getExtension('slipway.slipway');

  it('is installed and activates', async () => {
    const ext = extension();
    assert.ok(ext, 'slipway.slipway is installed');
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command it contributes, all under the Slipway category', async () => {
    const contributed = (extension()!.packageJSON.contributes.commands as { command: string; category: string }[]);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command, category } of contributed) {
      assert.ok(registered.has(command), `${command} is registered`);
      assert.equal(category, 'Slipway');
    }
  });

  it('answers VS Code\'s authentication API as the "slipway" provider', async () => {
    // An extension development window keeps its own secrets, so no account is signed in here;
    // a provider that was not registered would never answer.
    const session = await Promise.race([
      vscode.authentication.getSession('slipway', [], { silent: true }),
      new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), 10_000)),
    ]);
    assert.equal(session, undefined);
  });
});
