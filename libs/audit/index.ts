// The auditor's tools: chain verification, signed digests, time travel, Temporal history
// and replay, projection rebuild and evidence export. Used by the API and the audit CLI.
export { verifyChain } from './verify-chain.js';
export type { ChainProblem, ChainVerification } from './verify-chain.js';
export { IntegrityChecker } from './integrity.js';
export type { StreamVerification } from './integrity.js';
export { AuditSigningKey, publicKeyId, verifySignature } from './signing-key.js';
export { DIGEST_FORMAT, digestSignatureValid, headsSha256, isSignedDigest, takeDigest, verifyDigest } from './digest.js';
export type { DigestPayload, DigestProblem, DigestProblemKind, DigestVerification, SignedDigest } from './digest.js';
export { departmentStateAt, matchesReadModel, VersionBeyondHead } from './time-travel.js';
export type { HistoricalState, PointInTime } from './time-travel.js';
export { fetchRunChain, fetchRunHistory, historyAsJson, isWorkflowNotFound } from './temporal-history.js';
export type { WorkflowRunHistory } from './temporal-history.js';
export { bundleWorkflows, replayHistories } from './replay.js';
export type { ReplayFailure, ReplayOutcome, WorkflowCode } from './replay.js';
export { REBUILD_CHECKPOINT, rebuildProjections } from './rebuild-projections.js';
export type { RebuildOptions, RebuildResult } from './rebuild-projections.js';
export { evidenceArchive, evidenceFiles, exportEvidence, NothingToExport } from './export-evidence.js';
export type { EvidenceArchive, EvidenceExport, EvidenceFiles } from './export-evidence.js';
export { zipArchive } from './zip-archive.js';
export type { ArchiveEntry } from './zip-archive.js';
export { CANONICAL_JSON_RULES } from './evidence-readme.js';
export type { Progress } from './progress.js';
