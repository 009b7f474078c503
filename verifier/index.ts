/**
 * The verifier (vendor side, `ion-dest verify`) and the audit (customer side,
 * `ion-dest audit`), as library calls.
 */
export { verifyDestination } from './verify-destination.js';
export { CHECK_IDS, OPTIONAL_CHECK_IDS, PROBE_CHECK_IDS } from './types.js';
export { REVOCATION_CHECK_IDS } from './check-revoked.js';
export type { CheckId, CheckResult, CheckStatus, Destination, ReportedDestination, VerificationReport, VerifyOptions } from './types.js';
export { renderChecklist, renderJson, countStatuses } from './report.js';
export { auditDestination, AUDIT_CHECK_IDS } from './audit-destination.js';
export type { AuditOptions, AuditReport, AuditCheckId } from './audit-destination.js';
export { diffPermissionPolicy, diffTrustPolicy } from './diff-policy.js';
export type { PolicyDifference, DeployedPolicy } from './diff-policy.js';
export { diffBucketPolicy } from './diff-bucket-policy.js';
export type { BucketPolicyExpectation } from './diff-bucket-policy.js';
