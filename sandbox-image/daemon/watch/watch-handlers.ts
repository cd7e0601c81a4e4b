import type { HandlersFor, StreamSink } from '../rpc/handler';
import type { JournalEntry } from './change-journal';
import type { WorkspaceWatch } from './workspace-watch';

function deliver(stream: StreamSink, entry: JournalEntry): void {
  if ('resync' in entry) stream.send('watch.resync', { cursor: entry.cursor, reason: entry.resync });
  else stream.send('watch.batch', { cursor: entry.cursor, changes: entry.changes });
}

export function watchHandlers(watch: WorkspaceWatch): HandlersFor<'watch'> {
  return {
    'watch.subscribe': ({ epoch, cursor }, { stream }) => {
      if (!stream) throw new Error('watch.subscribe needs a stream');
      watch.ensureStarted();
      const journal = watch.journal;
      let resync = false;
      if (cursor !== undefined) {
        const missed = epoch === undefined || epoch === journal.epoch ? journal.since(cursor) : undefined;
        if (missed) for (const entry of missed) deliver(stream, entry);
        else resync = true;
      }
      stream.subscribe('watch', journal.subscribe((entry) => deliver(stream, entry)));
      return { epoch: journal.epoch, cursor: journal.cursor, resync };
    },
    'watch.unsubscribe': (_params, { stream }) => {
      stream?.unsubscribe('watch');
      return { ok: true as const };
    },
  };
}
