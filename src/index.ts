/**
 * kesu: complaint handling (客诉) as an append-only event stream.
 * @packageDocumentation
 */

export { caseNumberScope, formatCaseNumber } from "./domain/caseNumber.js";
export type { Command, CommandInput, CommandOf, CommandType } from "./domain/commands.js";
// Commands, decide, evolve
export { COMMAND_TYPES, CommandSchema } from "./domain/commands.js";
export type { Clock, DecideContext, IdGenerator } from "./domain/context.js";
export { fixedClock, systemClock, ulidGenerator } from "./domain/context.js";
export type { CommandParseResult } from "./domain/decide.js";
export { decide, parseCommand } from "./domain/decide.js";
export type { ClosureGates } from "./domain/decideClosure.js";
export { closureGates } from "./domain/decideClosure.js";
export type { Decision } from "./domain/decision.js";
export type {
  ClosureGatesRecord,
  ComplaintEvent,
  ComplaintEventType,
  EventMetadata,
  EventOf,
  EventParseResult,
  Findings,
  PolicyRef,
  RecordedEvent,
} from "./domain/events.js";
// Events
export {
  ComplaintEventSchema,
  CURRENT_SCHEMA_VERSIONS,
  EVENT_TYPES,
  EventData,
  parseComplaintEvent,
} from "./domain/events.js";
export { evolve, fold, InvalidStreamError, isInvalidStreamError } from "./domain/evolve.js";
export type { CaseNumber, ComplaintId } from "./domain/ids.js";
// Identity and values
export { caseNumber, complaintId, isComplaintId } from "./domain/ids.js";
export type { Policy, PolicyInput, SeverityRule } from "./domain/policy.js";
// Policy
export {
  authorityLimit,
  createPolicy,
  defaultPolicy,
  isPolicyError,
  matchSeverityRule,
  PolicyError,
  PolicySchema,
  severityRank,
} from "./domain/policy.js";
export type { Rejection, RejectionCode } from "./domain/rejection.js";
export { REJECTIONS } from "./domain/rejection.js";
export type {
  Classification,
  ClosedComplaint,
  ComplaintState,
  OpenComplaint,
  RegisteredComplaint,
  Stage,
} from "./domain/state.js";
export { initialState, isOpen, isRegistered } from "./domain/state.js";
export type { TooNewSchemaVersion, Upcaster } from "./domain/upcasters.js";
// Schema evolution
export { isUnknownSchemaVersionError, UnknownSchemaVersionError, UPCASTERS } from "./domain/upcasters.js";
export type {
  Actor,
  CauseClass,
  Channel,
  Duration,
  ErasedPersonalData,
  EscalationLevel,
  Kind,
  Money,
  Party,
  PersonalData,
  PersonalDataField,
  Remedy,
  RemedyKind,
  Satisfaction,
  SealedPersonalData,
  Validity,
} from "./domain/values.js";
export {
  CHANNELS,
  KINDS,
  REMEDY_KINDS,
  SATISFACTION_LABELS,
  SATISFACTION_SCORES,
  VALIDITIES,
} from "./domain/values.js";
// Tamper evidence
export { canonicalJson } from "./integrity/canonicalJson.js";
export type {
  EventStoreIntegrity,
  IntegrityRange,
  IntegrityRecord,
  IntegritySeal,
} from "./integrity/seal.js";
export { chainDigest, createSealer, eventHash, GENESIS_HASH, sealBatch } from "./integrity/seal.js";
export type {
  IntegrityAnchor,
  IntegrityBreak,
  IntegrityBreakKind,
  IntegrityHead,
  IntegrityReport,
  VerifyStoreOptions,
  VerifyStreamOptions,
} from "./integrity/verify.js";
export {
  IntegrityUnavailableError,
  isIntegrityUnavailableError,
  verifyStore,
  verifyStream,
} from "./integrity/verify.js";
export type { AuditEntry, MemoryAuditLog, MemoryAuditLogOptions } from "./permissions/auditLog.js";
// Permissions
export { createMemoryAuditLog } from "./permissions/auditLog.js";
export type {
  PermissionPolicy,
  PermissionPolicyInput,
  RolePermissions,
} from "./permissions/permissionPolicy.js";
export {
  checkPermission,
  createPermissionPolicy,
  isPermissionPolicyError,
  mayIssue,
  maySeePersonalData,
  PermissionPolicyError,
  PermissionPolicySchema,
} from "./permissions/permissionPolicy.js";
export { readerFor } from "./permissions/reader.js";
export type { EncryptedStoreOptions, ForgetResult } from "./privacy/encryptedStore.js";
// Personal data: encryption at rest, erasure, redaction
export { createEncryptedStore, forgetComplainant } from "./privacy/encryptedStore.js";
export type { DataKey, KeyStore } from "./privacy/keyStore.js";
export { createMemoryKeyStore, isKeyStoreError, KeyStoreError } from "./privacy/keyStore.js";
export {
  ERASED_PERSONAL_DATA,
  isErasedPersonalData,
  isPlainPersonalData,
  isSealedPersonalData,
} from "./privacy/personalData.js";
export type {
  KeyQueryRunner,
  PostgresKeyStore,
  PostgresKeyStoreOptions,
} from "./privacy/postgresKeyStore.js";
export { createPostgresKeyStore } from "./privacy/postgresKeyStore.js";
export type { EventReader } from "./privacy/redact.js";
export { createRedactingReader, REDACTED, redactPersonalData } from "./privacy/redact.js";
export { isPersonalDataIntegrityError, PersonalDataIntegrityError } from "./privacy/seal.js";
export type { SqliteKeyDatabase, SqliteKeyStoreOptions } from "./privacy/sqliteKeyStore.js";
export { createSqliteKeyStore } from "./privacy/sqliteKeyStore.js";
// Projections
export type {
  ComplaintListDoc,
  ComplaintListPage,
  ComplaintListQuery,
  ComplaintListRow,
  ComplaintListSla,
  ComplaintListStorage,
} from "./projections/complaintList.js";
export {
  compareRows,
  complaintListProjection,
  complaintListRow,
  matchesQuery,
} from "./projections/complaintList.js";
export type { MemoryComplaintList, MemoryListTx } from "./projections/memoryComplaintList.js";
export { createMemoryComplaintList } from "./projections/memoryComplaintList.js";
export type { Projection, ProjectionTarget } from "./projections/projection.js";
export type { ProjectionRunner, ProjectionRunnerOptions } from "./projections/runner.js";
export { createProjectionRunner } from "./projections/runner.js";
export type {
  BusinessCalendar,
  CalendarConventions,
  CalendarSpec,
  ChinaMainlandOptions,
  LocalDate,
  SlaTarget,
  SlaUnit,
} from "./sla/calendar/index.js";
// SLA: calendars, clocks, evaluation, watcher
export {
  CalendarInputError,
  CalendarRangeError,
  CalendarSpecError,
  calendars,
  isCalendarInputError,
  isCalendarRangeError,
  isCalendarSpecError,
} from "./sla/calendar/index.js";
export type { ClockSpec, ClockSpecInput } from "./sla/clockSpec.js";
export { ClockSpecSchema } from "./sla/clockSpec.js";
export type { ClockCycle, ClockResult, ClockStatus, PolicySource, SlaEvaluation } from "./sla/evaluate.js";
export { evaluateSla, isSlaPolicyMismatchError, SlaPolicyMismatchError, targetFor } from "./sla/evaluate.js";
export type { ClockTrap } from "./sla/traps.js";
export { findClockTraps } from "./sla/traps.js";
export type { SlaFinding, SlaWatcherOptions, SlaWatchReport } from "./sla/watcher.js";
export { runSlaWatcher } from "./sla/watcher.js";
export type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedVersion,
  ReadAllOptions,
  ReadStreamOptions,
  StreamInfo,
  SubscribeOptions,
  Subscription,
} from "./stores/eventStore.js";
// Stores and handling
export {
  ConcurrencyError,
  CorruptEventError,
  expectedVersionHolds,
  isConcurrencyError,
  isCorruptEventError,
  isStoreBusyError,
  readAllBatches,
  StoreBusyError,
} from "./stores/eventStore.js";
export type { HandleContext, HandleResult, OnRejected } from "./stores/handle.js";
export { CommandRejectedError, handle, handleOrThrow, isCommandRejectedError } from "./stores/handle.js";
export { createMemoryStore } from "./stores/memoryStore.js";
export type { ChangeSignal, SubscriptionRetry } from "./stores/subscription.js";
export { createSubscription } from "./stores/subscription.js";
