import * as vscode from 'vscode';
import { ClientError } from '../../protocol/client/client-error';
import type { Entry } from '../../protocol/daemon/fs';
import type { Change } from '../../protocol/daemon/watch';
import type { Logger } from '../log';
import { ChangeBatcher } from './change-batcher';
import { fsErrorKind } from './fs-error-kind';
import { ProjectWatches } from './project-watches';
import { WatchFeed } from './watch-feed';
import type { WorkspaceAccess } from './workspace-access';
import { SLIPWAY_SCHEME, projectIdOf, uriPathOf, workspacePathOf } from './workspace-uri';

const CHANGE_TYPES = { create: vscode.FileChangeType.Created, modify: vscode.FileChangeType.Changed, delete: vscode.FileChangeType.Deleted } as const;

/** `slipway://<projectId>/<path>`: a project's sandbox workspace, through the server. */
export class SlipwayFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly batcher = new ChangeBatcher<vscode.FileChangeEvent>((events) => this.emitter.fire(events), (e) => `${e.type}:${e.uri.toString()}`);
  private readonly watches: ProjectWatches;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(private readonly access: WorkspaceAccess, private readonly log: Logger, private readonly deletedName: (projectId: string) => string | undefined = () => undefined) {
    this.watches = new ProjectWatches(
      (projectId, sink) => {
        const socket = access.socket;
        if (!socket) return { dispose: () => undefined };
        return new WatchFeed(socket, projectId, sink, (error) => log.warn(`watching ${projectId}: ${fsErrorKind(error).message}`));
      },
      (projectId, changes) => this.batcher.add(changes.map((c) => this.event(projectId, c))),
      (projectId) => this.batcher.add([{ type: vscode.FileChangeType.Changed, uri: rootUri(projectId) }]),
    );
    this.disposables.push(access.onDidChangeSocket(() => this.watches.restart()));
  }

  watch(uri: vscode.Uri, options: { readonly recursive: boolean }): vscode.Disposable {
    const remove = this.watches.add({ projectId: projectIdOf(uri.authority), path: workspacePathOf(uri.path), recursive: options.recursive });
    return new vscode.Disposable(remove);
  }

  stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.run(uri, async (client, projectId, path) => fileStat(await client.stat(projectId, path)));
  }

  readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.run(uri, async (client, projectId, path) => {
      const listed = await client.list(projectId, path);
      if (listed.truncated) this.log.warn(`${uri.toString()} has more entries than are shown`);
      return listed.entries.map((entry): [string, vscode.FileType] => [entry.name, fileType(entry)]);
    });
  }

  readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.run(uri, (client, projectId, path) => client.read(projectId, path));
  }

  writeFile(uri: vscode.Uri, content: Uint8Array, options: { readonly create: boolean; readonly overwrite: boolean }): Promise<void> {
    return this.run(uri, async (client, projectId, path) => {
      if (!options.create || !options.overwrite) {
        const existing = await client.stat(projectId, path).catch((error: unknown) => {
          if (fsErrorKind(error).kind === 'FileNotFound') return undefined;
          throw error;
        });
        if (existing && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
        if (!existing && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
        if (existing?.type === 'directory') throw vscode.FileSystemError.FileIsADirectory(uri);
      }
      await client.write(projectId, path, content);
    });
  }

  createDirectory(uri: vscode.Uri): Promise<void> {
    return this.run(uri, async (client, projectId, path) => void (await client.mkdir(projectId, path)));
  }

  delete(uri: vscode.Uri, options: { readonly recursive: boolean }): Promise<void> {
    return this.run(uri, (client, projectId, path) => client.delete(projectId, path, options.recursive));
  }

  rename(from: vscode.Uri, to: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    return this.run(from, async (client, projectId, path) => void (await client.rename(projectId, path, sameProject(from, to), options.overwrite)), to);
  }

  copy(from: vscode.Uri, to: vscode.Uri, options: { readonly overwrite: boolean }): Promise<void> {
    return this.run(from, async (client, projectId, path) => void (await client.copy(projectId, path, sameProject(from, to), options.overwrite)), to);
  }

  /** Runs one operation; every failure leaves as a vscode.FileSystemError with the server's message. */
  private async run<T>(uri: vscode.Uri, op: (client: ReturnType<WorkspaceAccess['client']>, projectId: string, path: string) => Promise<T>, target?: vscode.Uri): Promise<T> {
    try {
      await this.access.ready;
      return await op(this.access.client(), projectIdOf(uri.authority), workspacePathOf(uri.path));
    } catch (error) {
      if (error instanceof vscode.FileSystemError) throw error;
      const deleted = this.deletedName(uri.authority);
      if (deleted !== undefined || isProjectGone(error)) {
        const which = deleted === undefined ? 'This project' : `The project "${deleted}"`;
        throw vscode.FileSystemError.Unavailable(`${which} was deleted: its files are gone from the server${deleted === undefined ? ' (or you are no longer in its team)' : ''}. Save a copy elsewhere (File > Save As…) to keep your changes.`);
      }
      const { kind, message } = fsErrorKind(error);
      this.log.trace(`${uri.toString()}: ${kind}: ${message}`);
      if (kind === 'FileExists' && target) throw vscode.FileSystemError.FileExists(target);
      if (kind === 'FileNotFound') throw vscode.FileSystemError.FileNotFound(uri);
      if (kind === 'Unknown') throw new vscode.FileSystemError(message);
      throw vscode.FileSystemError[kind](message);
    }
  }

  private event(projectId: string, change: Change): vscode.FileChangeEvent {
    return { type: CHANGE_TYPES[change.kind], uri: vscode.Uri.from({ scheme: SLIPWAY_SCHEME, authority: projectId, path: uriPathOf(change.path) }) };
  }

  dispose(): void {
    this.batcher.dispose();
    this.watches.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** The server's answer for a project that is not there (any more): not found, about the project, not a file. */
const isProjectGone = (error: unknown): boolean =>
  ClientError.is(error) && error.code === 'not_found' && !error.reason && /^project not found/.test(error.message);

export const rootUri = (projectId: string): vscode.Uri => vscode.Uri.from({ scheme: SLIPWAY_SCHEME, authority: projectId, path: '/' });

function sameProject(from: vscode.Uri, to: vscode.Uri): string {
  if (to.scheme !== SLIPWAY_SCHEME || projectIdOf(to.authority) !== projectIdOf(from.authority)) {
    throw vscode.FileSystemError.NoPermissions('Moving or copying between Slipway projects is not supported; copy the files instead.');
  }
  return workspacePathOf(to.path);
}

function fileType(entry: Entry): vscode.FileType {
  const base = entry.type === 'file' ? vscode.FileType.File : entry.type === 'directory' ? vscode.FileType.Directory : vscode.FileType.Unknown;
  return entry.isSymlink ? base | vscode.FileType.SymbolicLink : base;
}

function fileStat(entry: Entry): vscode.FileStat {
  const readonly = (entry.mode & 0o200) === 0;
  return { type: fileType(entry), ctime: entry.mtimeMs, mtime: entry.mtimeMs, size: entry.size, ...(readonly ? { permissions: vscode.FilePermission.Readonly } : {}) };
}
