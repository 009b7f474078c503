/**
 * The library API of ion-dest, for First Resonance's backend: the same functions the
 * `ion-dest` commands run. See the README's "Library API" section.
 */
export { auditDestination, renderChecklist, renderJson, verifyDestination } from './verifier/index.js';
export type { AuditOptions, AuditReport, CheckResult, VerificationReport, VerifyOptions } from './verifier/index.js';
export {
  cleanupUploads,
  createPostgresTableSource,
  createS3AttachmentSource,
  deliverSnapshot,
  directoryAttachmentSource,
  directoryTableSource,
} from './delivery/index.js';
export type { AttachmentSource, CleanupReport, CleanupUploadsOptions, DeliveryReport, DeliverSnapshotOptions, TableSource } from './delivery/index.js';
export { permissionPolicy, trustPolicy } from './policy/index.js';
export type { PolicyDocument } from './policy/index.js';
export { newExternalId } from './policy/index.js';
export type { IssuedExternalId, NewExternalIdOptions } from './policy/index.js';
export { IonDestError, TROUBLESHOOTING, type ErrorCode } from './errors/index.js';
