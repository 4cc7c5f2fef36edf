export interface EventActor {
  readonly sub: string;
  readonly role: string;
}

/** Who caused an event and through which request and workflow run. */
export interface EventMetadata {
  readonly actor: EventActor;
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly workflowId?: string;
  readonly runId?: string;
}

export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly recordedAt: string;
}

export interface StoredEvent extends NewEvent {
  readonly position: number;
  readonly streamId: string;
  readonly version: number;
  readonly prevHash: string;
  readonly hash: string;
}

export interface StreamHead {
  readonly streamId: string;
  readonly version: number;
  readonly hash: string;
}
