/** How much an event store remembers of its streams' read models between appends. */
export interface StreamMemoryLimits {
  /** Streams remembered at most; 0 remembers nothing. */
  readonly maxStreams: number;
  /** Characters of remembered text at most, over all streams. */
  readonly maxChars: number;
}

/**
 * 2,000 streams, 8 Mi characters in all: a department's row is 1–2 KiB of JSON (more with
 * many lessons and savings records), so this covers more onboardings than a worker keeps
 * in its sticky workflow cache, which is what sends a department's next command, and so
 * its next append, back to the same worker.
 */
export const DEFAULT_STREAM_MEMORY: StreamMemoryLimits = { maxStreams: 2_000, maxChars: 8 * 1024 * 1024 };

/** What a projection left written for one stream, as of the stream version that append left. */
export interface Remembered {
  /** Which of the store's projections wrote it: only that one is offered it. */
  readonly owner: number;
  readonly version: number;
  readonly text: string;
}

/**
 * A least-recently-used map from stream id to what was remembered of it, bounded both in
 * entries and in characters, so its memory stays bounded whatever the number of streams.
 * An entry is taken out while an append uses it, so two appends to one stream never both
 * build on it, and put back (newer) only when that append committed.
 */
export class StreamMemory {
  private readonly entries = new Map<string, Remembered>();
  private chars = 0;

  constructor(private readonly limits: StreamMemoryLimits = DEFAULT_STREAM_MEMORY) {}

  /** Removes and returns what is remembered of the stream. */
  take(streamId: string): Remembered | undefined {
    const found = this.entries.get(streamId);
    if (found !== undefined) this.forget(streamId, found);
    return found;
  }

  /** Remembers the stream as the most recently used, evicting the least recently used beyond the limits. */
  put(streamId: string, remembered: Remembered): void {
    const previous = this.entries.get(streamId);
    if (previous !== undefined) this.forget(streamId, previous);
    if (this.limits.maxStreams <= 0 || remembered.text.length > this.limits.maxChars) return;
    this.entries.set(streamId, remembered);
    this.chars += remembered.text.length;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxStreams && this.chars <= this.limits.maxChars) break;
      this.forget(oldest, entry);
    }
  }

  get size(): { readonly streams: number; readonly chars: number } {
    return { streams: this.entries.size, chars: this.chars };
  }

  private forget(streamId: string, entry: Remembered): void {
    this.entries.delete(streamId);
    this.chars -= entry.text.length;
  }
}
