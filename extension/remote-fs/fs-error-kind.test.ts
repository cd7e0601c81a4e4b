import assert from 'node:assert/strict';
import { ClientError } from '../../protocol/client/client-error';
import type { ErrorCode, ErrorReason } from '../../protocol/errors';
import { fsErrorKind } from './fs-error-kind';

describe('file system error mapping', () => {
  const server = (code: ErrorCode, message: string, reason?: ErrorReason) => fsErrorKind(new ClientError('server', message, code, undefined, reason)).kind;

  it('maps the reasons the daemon and server set to what VS Code\'s file service understands', () => {
    assert.equal(server('not_found', 'no such file or directory: a.txt', 'not_found'), 'FileNotFound');
    assert.equal(server('conflict', 'already exists: b.txt', 'already_exists'), 'FileExists');
    assert.equal(server('conflict', 'cannot overwrite a directory with a file', 'already_exists'), 'FileExists');
    assert.equal(server('conflict', 'directory not empty: src', 'not_empty'), 'NoPermissions');
    assert.equal(server('conflict', 'the project\'s sandbox is not running (status STOPPED)', 'sandbox_not_running'), 'Unavailable');
    assert.equal(server('bad_request', 'not a directory: a.txt', 'not_a_directory'), 'FileNotADirectory');
    assert.equal(server('bad_request', 'is a directory: src', 'is_a_directory'), 'FileIsADirectory');
    assert.equal(server('forbidden', 'path is outside the workspace'), 'NoPermissions');
    assert.equal(server('unavailable', 'sandbox unreachable'), 'Unavailable');
    assert.equal(server('payload_too_large', 'file is larger than 256 MB'), 'Unknown');
  });

  it('reads the reason, never the sentence', () => {
    assert.equal(server('conflict', 'already exists: b.txt'), 'Unknown');
    assert.equal(server('bad_request', 'not a directory: a.txt'), 'Unknown');
    assert.equal(server('conflict', 'anything at all', 'already_exists'), 'FileExists');
  });

  it('treats an unreachable server as Unavailable and keeps its message', () => {
    const mapped = fsErrorKind(new ClientError('network', 'cannot reach the Slipway server at http://x: ECONNREFUSED'));
    assert.deepEqual(mapped, { kind: 'Unavailable', message: 'cannot reach the Slipway server at http://x: ECONNREFUSED' });
    assert.equal(fsErrorKind(new Error('boom')).kind, 'Unknown');
  });
});
