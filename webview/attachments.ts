import { base64Bytes, ChatAttachments, CONTEXT_LIMITS, type ChatAttachment } from '../protocol/chat-context';
import { chipNode } from './attachment-chips';
import { imageFromFile } from './image-input';

/**
 * What goes with the next message: @-mentions, editor context and pasted or dropped images, shown
 * as chips above the input. Checked against the protocol's limits as items are added, so a message
 * the server would refuse is never built.
 */
export class AttachmentTray {
  readonly node = document.createElement('div');
  private list: ChatAttachment[] = [];

  constructor(input: HTMLElement, private readonly failed: (message: string) => void, private readonly changed: (list: ChatAttachment[]) => void, saved: ChatAttachment[] = []) {
    this.node.className = 'chips tray';
    this.node.dataset.testid = 'attachments';
    this.node.hidden = true;
    // What the view saved (already checked against the protocol when it was read back).
    this.list = [...saved];
    this.draw(false);
    input.addEventListener('paste', (event) => {
      const files = [...(event.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
      if (!files.length) return;
      event.preventDefault();
      void this.addImages(files);
    });
    input.addEventListener('dragover', (event) => {
      if ([...(event.dataTransfer?.items ?? [])].some((i) => i.kind === 'file')) event.preventDefault();
    });
    input.addEventListener('drop', (event) => {
      const files = [...(event.dataTransfer?.files ?? [])];
      if (!files.length) return;
      event.preventDefault();
      void this.addImages(files);
    });
  }

  get items(): readonly ChatAttachment[] {
    return this.list;
  }

  /** Adds one item (the same path or kind of context replaces the earlier one); false with a reason when over a limit. */
  add(item: ChatAttachment): boolean {
    const next = [...this.list.filter((a) => !sameThing(a, item)), item];
    const checked = ChatAttachments.safeParse(next);
    if (!checked.success) {
      this.failed(checked.error.issues[0]?.message ?? 'That cannot be attached.');
      return false;
    }
    this.list = next;
    this.draw();
    return true;
  }

  /** Empties the tray and returns what it held (the message is being sent). */
  take(): ChatAttachment[] {
    const taken = this.list;
    this.list = [];
    this.draw();
    return taken;
  }

  private async addImages(files: File[]): Promise<void> {
    for (const file of files) {
      const used = this.list.reduce((sum, a) => sum + (a.kind === 'image' ? base64Bytes(a.data) : 0), 0);
      try {
        this.add(await imageFromFile(file, CONTEXT_LIMITS.imageTotalBytes - used));
      } catch (error) {
        this.failed(error instanceof Error ? error.message : String(error));
      }
    }
  }

  private draw(changed = true): void {
    this.node.replaceChildren(...this.list.map((a) => chipNode(a, () => {
      this.list = this.list.filter((x) => x !== a);
      this.draw();
    })));
    this.node.hidden = this.list.length === 0;
    if (changed) this.changed(this.list);
  }
}

function sameThing(a: ChatAttachment, b: ChatAttachment): boolean {
  if (a.kind === 'image' || b.kind === 'image') return a === b;
  if ((a.kind === 'file' || a.kind === 'folder') && (b.kind === 'file' || b.kind === 'folder')) return a.path === b.path;
  return a.kind === b.kind;
}
