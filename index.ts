/**
 * The library API of ion-dest, for First Resonance's backend: the same functions the
 * `ion-dest` commands run. See the README's "Library API" section. This module is the
 * package's only entry point (`import { verifyDestination } from 'ion-dest'`).
 */
export { auditDestination, renderChecklist, renderJson, verifyDestination } from './verifier/index.js';
export type { AuditOptions, AuditReport, CheckResult, Destination, VerificationReport, VerifyOptions } from './verifier/index.js';
export { DEFAULT_FLEET_CONCURRENCY, parseFleet, readFleetFile, renderFleetSummary, verifyFleet, type FleetCommonOptions, type FleetDestination } from './verifier/fleet.js';
export {
  cleanupUploads,
  createPostgresTableSource,
  createS3AttachmentSource,
  deliverSnapshot,
  directoryAttachmentSource,
  directoryTableSource,
  formatDeliveryReport,
} from './delivery/index.js';
export type { AttachmentSource, CleanupReport, CleanupUploadsOptions, DeliveryReport, DeliverSnapshotOptions, TableSource } from './delivery/index.js';
export { buildPermissionPolicy, buildTlsOnlyBucketPolicy, buildTrustPolicy, permissionPolicy, trustPolicy } from './policy/index.js';
export { MAX_EXTERNAL_IDS, newExternalId } from './policy/index.js';
export { parseDestination, type DestinationInput, type ParsedDestination } from './destination/index.js';
export type { IssuedExternalId, NewExternalIdOptions } from './policy/index.js';
export type { Partition, PermissionPolicyOptions, PolicyDocument, PolicyStatement, TrustPolicyOptions } from './policy/index.js';
export {
  buildCloudFormationTemplate,
  buildQuickCreateUrl,
  publishTemplate,
  renderCloudFormationTemplate,
  type CfnTemplate,
  type PublishedTemplate,
  type PublishTemplateOptions,
  type QuickCreateOptions,
} from './stacks/cloudformation/index.js';
export { renderTerraformTemplate } from './stacks/cdktf/render-terraform.js';
export { ERROR_CODES, IonDestError, TROUBLESHOOTING, isIonDestError, type ErrorCode, type InputProblem } from './errors/index.js';
