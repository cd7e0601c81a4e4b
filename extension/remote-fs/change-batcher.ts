/**
 * Collects items and hands them over in batches: after `delayMs` of the first unflushed item, or at
 * once when `maxItems` are waiting. Repeats of a key move to the end (so create, delete, create
 * ends as "delete, create", in order), keeping a batch small without changing what it means.
 */
export class ChangeBatcher<T> {
  private readonly waiting = new Map<string, T>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flushTo: (items: T[]) => void,
    private readonly keyOf: (item: T) => string,
    private readonly options: { delayMs?: number; maxItems?: number } = {},
  ) {}

  add(items: Iterable<T>): void {
    for (const item of items) {
      const key = this.keyOf(item);
      this.waiting.delete(key);
      this.waiting.set(key, item);
    }
    if (this.waiting.size >= (this.options.maxItems ?? 500)) this.flush();
    else if (this.waiting.size && !this.timer) this.timer = setTimeout(() => this.flush(), this.options.delayMs ?? 50);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.waiting.size) return;
    const items = [...this.waiting.values()];
    this.waiting.clear();
    this.flushTo(items);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.clear();
  }
}
