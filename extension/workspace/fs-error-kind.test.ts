import assert from 'node:assert/strict';
import { ClientError } from '../../protocol/client/client-error';
import { fsErrorKind } from './fs-error-kind';

describe('file system error mapping', () => {
  const server = (code: ConstructorParameters<typeof ClientError>[2], message: string) => fsErrorKind(new ClientError('server', message, code)).kind;

  it('maps the server\'s codes to what VS Code\'s file service understands', () => {
    assert.equal(server('not_found', 'no such file or directory: a.txt'), 'FileNotFound');
    assert.equal(server('conflict', 'already exists: b.txt'), 'FileExists');
    assert.equal(server('conflict', 'cannot overwrite a directory with a file'), 'FileExists');
    assert.equal(server('conflict', 'directory not empty: src'), 'NoPermissions');
    assert.equal(server('conflict', 'the project\'s sandbox is not running (status STOPPED)'), 'Unavailable');
    assert.equal(server('bad_request', 'not a directory: a.txt'), 'FileNotADirectory');
    assert.equal(server('bad_request', 'is a directory: src'), 'FileIsADirectory');
    assert.equal(server('forbidden', 'path is outside the workspace'), 'NoPermissions');
    assert.equal(server('unavailable', 'sandbox unreachable'), 'Unavailable');
    assert.equal(server('payload_too_large', 'file is larger than 256 MB'), 'Unknown');
  });

  it('treats an unreachable server as Unavailable and keeps its message', () => {
    const mapped = fsErrorKind(new ClientError('network', 'cannot reach the Slipway server at http://x: ECONNREFUSED'));
    assert.deepEqual(mapped, { kind: 'Unavailable', message: 'cannot reach the Slipway server at http://x: ECONNREFUSED' });
    assert.equal(fsErrorKind(new Error('boom')).kind, 'Unknown');
  });
});
