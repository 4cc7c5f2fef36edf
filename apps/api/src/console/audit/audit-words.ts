import type { ChainProblem, DigestProblem, ReplayFailure } from '../../../../../libs/audit/index.js';
import { capitalise } from '../view-filters.js';

const CHAIN_PROBLEMS: Record<ChainProblem, string> = {
  'hash-mismatch': 'its content no longer matches its hash: it was changed after it was recorded',
  'missing-event': 'an event is missing: the versions jump, or the stream ends before its recorded head',
  'rehashed-event': 'it was rewritten and its hash recomputed, but the event after it (or the stream head) still commits to the original',
  'broken-link': 'it does not name the hash of the event before it',
  'head-mismatch': 'the stream head recorded in the database does not match the last stored event',
};

/** A broken chain in words an auditor can put in a report. */
export function chainProblemText(problem: string | undefined): string {
  return CHAIN_PROBLEMS[problem as ChainProblem] ?? problem ?? 'the chain does not verify';
}

/** "department-DFT" → "Department DFT"; "centre-ISSC1" → "Centre ISSC1"; "programme" → "Programme". */
export function streamName(streamId: string): string {
  const [kind, ...rest] = streamId.split('-');
  const name = capitalise(kind);
  return rest.length ? `${name} ${rest.join('-')}` : name;
}

export function digestProblemText(problem: DigestProblem): string {
  const where = problem.streamId ? `${streamName(problem.streamId)}${problem.version ? `, version ${problem.version}` : ''}` : '';
  switch (problem.kind) {
    case 'heads-not-signed':
      return 'The list of stream heads in the digest is not the one its signature covers: the file was edited';
    case 'heads-changed':
      return 'The event log no longer gives the stream heads this digest signed';
    case 'altered-before-digest':
      return `An event the digest covers has been changed since (${where})`;
    case 'truncated':
      return `Events the digest covers are missing now (${where} onwards)`;
    case 'rewritten':
      return `The stream was rewritten: at the digested version it now ends in another hash (${where})`;
    case 'altered-after-digest':
      return `An event recorded after the digest does not verify (${where}); everything the digest covers is intact`;
  }
}

export function replayFailureText(error: ReplayFailure | { kind: 'history-unavailable'; message: string } | undefined): string {
  if (!error) return '';
  switch (error.kind) {
    case 'nondeterminism':
      return `Today's code makes different decisions from the ones recorded: ${error.message}`;
    case 'history-unavailable':
      return `The workflow's history could not be read: ${error.message}`;
    default:
      return `The replay failed: ${error.message}`;
  }
}

/** "EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED" → "Workflow execution update accepted". */
export function historyEventName(eventType: string): string {
  return capitalise(eventType.replace(/^EVENT_TYPE_/, '').toLowerCase().replace(/_/g, ' '));
}
