/** Another writer appended to the stream since the caller read it. */
export class StreamVersionConflict extends Error {
  readonly code = 'stream-version-conflict';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`stream ${streamId} is at version ${actualVersion}, expected ${expectedVersion}`);
    this.name = 'StreamVersionConflict';
  }
}
