import assert from 'node:assert/strict';
import { isWithin, parentOf, projectIdOf, uriPathOf, workspacePathOf } from './workspace-uri';

describe('slipway: URI mapping', () => {
  it('maps URI paths to workspace paths and back', () => {
    assert.equal(workspacePathOf('/'), '.');
    assert.equal(workspacePathOf(''), '.');
    assert.equal(workspacePathOf('/src/app.ts'), 'src/app.ts');
    assert.equal(workspacePathOf('/src//lib/./x/'), 'src/lib/x');
    assert.equal(uriPathOf('.'), '/');
    assert.equal(uriPathOf('src/app.ts'), '/src/app.ts');
    assert.equal(uriPathOf('./a b/ü.txt'), '/a b/ü.txt');
    for (const p of ['a', 'a/b c/d.ts', 'ü/ß']) assert.equal(workspacePathOf(uriPathOf(p)), p);
  });

  it('takes the project id from the authority and refuses anything else', () => {
    assert.equal(projectIdOf('0F8FAD5B-D9CB-469F-A165-70867728950E'), '0f8fad5b-d9cb-469f-a165-70867728950e');
    assert.throws(() => projectIdOf('my-app'), /not a Slipway project/);
    assert.throws(() => projectIdOf(''), /not a Slipway project/);
  });

  it('knows parents and containment', () => {
    assert.equal(parentOf('a'), '.');
    assert.equal(parentOf('a/b/c'), 'a/b');
    assert.ok(isWithin('a/b', '.'));
    assert.ok(isWithin('a/b', 'a'));
    assert.ok(isWithin('a', 'a'));
    assert.ok(!isWithin('ab/c', 'a'));
  });
});
