import type { ErrorCode } from './codes.js';

export interface TroubleshootingRow {
  /** What the user sees, in a few words. */
  symptom: string;
  /** Most likely cause first. */
  cause: string;
  /** What to do about it. */
  fix: string;
}

/**
 * The troubleshooting table: one row per error code. The CLI prints cause and fix
 * from here, and docs/troubleshooting.md is generated from it.
 */
export const TROUBLESHOOTING = {
  INVALID_INPUT: {
    symptom: 'Input rejected before any AWS call',
    cause:
      'A value given to the toolkit breaks a rule (account ID, external ID, bucket name, region or a region outside --partition, KMS key ARN, role name or role ARN path, tenant, job ID, a size or count out of its range, a snapshot time a tar header cannot hold), or a deliver source fails its pre-flight: a --tables or --attachments directory that is missing or unreadable, a file name that is not UTF-8 or holds a control, bidirectional-control or line-separator character, two names equal under Unicode NFC, a .csv.gz that is not gzip, a symbolic link or special file.',
    fix: 'Correct the named flag or file; the message shows the value as given and the rule (`ion-dest regions` lists the regions). Nothing was created or changed.',
  },
  DATABASE_CONNECTION_FAILED: {
    symptom: 'Cannot connect to the PostgreSQL database of the snapshot',
    cause: 'The database URL (--database-url, DATABASE_URL or PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE) names a host, port, user, password or database that does not answer or does not accept the login.',
    fix: 'Check the connection settings with psql using the same environment; the password is never printed, so compare it yourself. Nothing was delivered.',
  },
  DATABASE_SCHEMA_NOT_FOUND: {
    symptom: 'The tenant schema does not exist in the database',
    cause: 'No schema of that exact name (names are case-sensitive) exists, or the database user may not see it.',
    fix: 'List the schemas with psql (\\dn) and pass the exact name with --schema; grant USAGE on the schema and SELECT on its tables to the export user.',
  },
  DATABASE_EXPORT_FAILED: {
    symptom: 'Reading a table from PostgreSQL failed during the snapshot',
    cause: 'The export user lacks SELECT on a table, row-level security would hide some of its rows from that user (the export refuses to deliver a partial table), a lock could not be taken in time (a long ALTER TABLE or VACUUM FULL holds the table), or the connection was cut mid-COPY.',
    fix: 'Grant SELECT on every table of the schema (and BYPASSRLS, or export as the tables\' owner, where row-level security is on), let the blocking statement finish, and re-run the same job: it overwrites the same keys.',
  },
  ATTACHMENTS_BUCKET_UNREADABLE: {
    symptom: "First Resonance's attachments bucket cannot be listed or read",
    cause: "The bucket does not exist, is owned by another account than the expected owner, or First Resonance's own credentials (standard chain or --profile) lack s3:ListBucket / s3:GetObject on it.",
    fix: 'Check the s3:// URL, the account given with --attachments-bucket-owner (default: the account of the credentials) and the credentials in use (aws sts get-caller-identity).',
  },
  ATTACHMENT_CHANGED: {
    symptom: 'An attachment changed or vanished while it was being delivered',
    cause: 'The object was overwritten or deleted between the listing and the download (its ETag no longer matches), so its size in the archive header would be wrong.',
    fix: 'Re-run the same job; it lists the bucket again and overwrites the same keys.',
  },
  ASSUME_ROLE_DENIED: {
    symptom: 'Role assumption fails (AccessDenied)',
    cause:
      "AWS gives the vendor side the same AccessDenied for each of these, most likely first: (1) the trust policy's `sts:ExternalId` condition does not match the external ID First Resonance provided (external ID mismatch); (2) the trust policy's `Principal` is not First Resonance's account `arn:aws:iam::<fr-account-id>:root`; (3) the role ARN handed over is wrong (account, path or name) or the role no longer exists.",
    fix: 'In the customer account, run `ion-dest audit --role-name <role> --bucket <bucket> --trusted-account <fr-account-id> --external-id <external-id>`: it names which one differs. Then correct the trust policy (or the role ARN) and verify again.',
  },
  EXTERNAL_ID_NOT_REQUIRED: {
    symptom: 'Role can be assumed without an external ID',
    cause: "The trust policy has no `StringEquals` condition on `sts:ExternalId` (or a `...IfExists` form of it), so the role is open to the confused-deputy problem.",
    fix: 'Add the `StringEquals` condition on `sts:ExternalId` with the external ID First Resonance provided, exactly as in the setup guide (`ion-dest policy trust` prints the document).',
  },
  EXTERNAL_ID_NOT_EXACT: {
    symptom: 'Role can be assumed with an external ID other than the one provided',
    cause:
      "The trust condition on `sts:ExternalId` matches values other than the one provided: a `StringLike` wildcard (`ion-acme-*`), `StringEqualsIgnoreCase`, a negated operator (`StringNotEquals`), a list with extra values, or a second trust statement without the condition. `verify` presents an unrelated external ID and IDs derived from the real one (a character appended or put in front, the last character removed or changed, the letters' case flipped); the message names which were accepted, never the ID itself.",
    fix: 'Use `StringEquals` with exactly the external ID First Resonance provided (`ion-dest policy trust` prints it); remove other statements that trust First Resonance. `ion-dest audit` in the customer account shows the condition as deployed.',
  },
  SESSION_DURATION_EXCEEDED: {
    symptom: 'AssumeRole rejected: DurationSeconds exceeds the MaxSessionDuration',
    cause: "The role's maximum session duration is shorter than the session the delivery asks for.",
    fix: "Raise the role's `MaxSessionDuration` (IAM console: role > Summary > Maximum session duration) to at least the duration named in the message, or verify with a shorter `--session-duration`.",
  },
  SOURCE_CREDENTIALS_MISSING: {
    symptom: 'No AWS credentials found to start from',
    cause: 'The standard AWS credential chain found nothing: no environment variables, no profile (or the `--profile` named does not exist), no SSO session, no instance or container role.',
    fix: 'Provide credentials for the account that calls AssumeRole: `aws configure`, `aws sso login --profile <p>` with `--profile <p>`, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
  },
  SOURCE_CREDENTIALS_INVALID: {
    symptom: 'AWS rejected the source credentials (InvalidClientTokenId or SignatureDoesNotMatch)',
    cause: 'The access key does not exist, was deactivated, or the secret key does not belong to it.',
    fix: 'Check which credentials the chain picked (`aws sts get-caller-identity`) and replace them.',
  },
  SOURCE_CREDENTIALS_EXPIRED: {
    symptom: 'Source credentials expired (ExpiredToken)',
    cause: 'The temporary credentials the run started from (SSO session, assumed role, session token) have expired.',
    fix: 'Refresh them (for example `aws sso login`) and run again.',
  },
  SESSION_EXPIRED: {
    symptom: 'Role session expired during the run',
    cause: "The delivery role's session outlived its duration before the call was made.",
    fix: 'Run again; if it recurs, raise the role session duration (the delivery refreshes sessions on its own).',
  },
  BUCKET_NOT_FOUND: {
    symptom: 'Bucket does not exist',
    cause: 'Wrong bucket name, or the bucket was deleted (S3 answered 404 NoSuchBucket).',
    fix: 'Verify the bucket name handed over (Step 3 of the setup guide) and that the bucket exists in the expected region.',
  },
  BUCKET_WRONG_REGION: {
    symptom: 'Bucket is in another region',
    cause: 'The bucket exists, but in the region S3 names in `x-amz-bucket-region`, not the one handed over.',
    fix: 'Verify again (and deliver) with `--region` set to the region named in the message, or correct the region on record.',
  },
  BUCKET_ACCESS_DENIED: {
    symptom: 'Access denied to bucket',
    cause: 'Missing or incorrect permission policy: the policy is not attached to the role, names another bucket, or lacks `s3:ListBucket` on `arn:aws:s3:::<bucket>`. Also answered when the bucket belongs to another account than the role (ExpectedBucketOwner) or a bucket policy denies the role.',
    fix: 'Verify the permission policy is attached to the role and the bucket name matches (`ion-dest policy permissions --bucket <bucket>` prints it; `ion-dest audit` compares).',
  },
  LIST_DENIED: {
    symptom: 'Listing the tenant prefix is denied',
    cause: 'The permission policy lacks `s3:ListBucket` on the bucket ARN (`arn:aws:s3:::<bucket>`, no `/*`).',
    fix: 'Add `s3:ListBucket` with the bucket ARN as resource, as in the setup guide.',
  },
  WRITE_DENIED: {
    symptom: 'Test write fails (AccessDenied)',
    cause: 'The role lacks `s3:PutObject` on the objects (`arn:aws:s3:::<bucket>/*`), or a bucket policy denies the write. For `deliver` re-running a job, the call that failed may be the DeleteObject that removes the previous delivery\'s objects (the message names the operation): the role then lacks `s3:DeleteObject`.',
    fix: 'Check the permission policy includes `s3:PutObject` on the bucket resource `arn:aws:s3:::<bucket>/*`.',
  },
  READ_DENIED: {
    symptom: 'Reading the test object back is denied',
    cause: 'The role lacks `s3:GetObject` on `arn:aws:s3:::<bucket>/*`.',
    fix: 'Add `s3:GetObject` on the objects ARN, as in the setup guide.',
  },
  READ_MISMATCH: {
    symptom: 'Test object read back differs from what was written',
    cause: 'Something between the writer and the bucket changed the bytes (an object-rewriting proxy, S3 Object Lambda, or replication racing the read).',
    fix: 'Check for Object Lambda access points or proxies in front of the bucket; run again. Report it if it persists.',
  },
  DELETE_DENIED: {
    symptom: 'Deleting the test object is denied',
    cause: 'The role lacks `s3:DeleteObject` on `arn:aws:s3:::<bucket>/*`, so the verifier cannot clean up after itself.',
    fix: 'Add `s3:DeleteObject` on the objects ARN, as in the setup guide; delete the test object named in the message by hand.',
  },
  DELETE_NOT_EFFECTIVE: {
    symptom: 'Test object still readable after delete',
    cause: 'S3 accepted the delete but the object is still served (Object Lock retention or a legal hold, or replication writing it back).',
    fix: 'Check Object Lock and replication settings on the bucket; delete the named test object by hand.',
  },
  MULTIPART_DENIED: {
    symptom: 'A multipart upload step is denied',
    cause: 'The role lacks one of `s3:PutObject`, `s3:ListBucketMultipartUploads` (bucket ARN), `s3:ListMultipartUploadParts` or `s3:AbortMultipartUpload` (objects ARN). Large snapshots are uploaded in parts and need all of them.',
    fix: 'Attach the full permission policy from the setup guide (`ion-dest policy permissions --bucket <bucket>`).',
  },
  MULTIPART_NOT_CLEANED: {
    symptom: 'Aborted multipart upload still listed',
    cause: 'S3 accepted AbortMultipartUpload but the upload is still listed, usually because a part upload was in flight.',
    fix: 'Run again; add a lifecycle rule that aborts incomplete multipart uploads after a few days.',
  },
  KMS_KEY_DENIED: {
    symptom: 'Write to an SSE-KMS bucket fails (KMS AccessDenied)',
    cause: "The bucket encrypts with a customer-managed KMS key and the role may not use it: the permission policy lacks `kms:GenerateDataKey` and `kms:Decrypt` on the key, or the key policy does not allow the customer account's IAM policies (or the role), or the key is disabled or pending deletion.",
    fix: 'Add the KMS statement (`ion-dest policy permissions --bucket <bucket> --kms-key-arn <key>` prints it) and make sure the key policy lets IAM policies of the account grant key use; enable the key.',
  },
  NOT_ENCRYPTED: {
    symptom: 'Test object not reported as encrypted',
    cause: 'The PutObject response carried no server-side encryption header: the bucket has no default encryption (or the endpoint does not report it).',
    fix: 'Turn on default encryption for the bucket (SSE-S3 or SSE-KMS), as the setup guide recommends.',
  },
  VERSIONING_DISABLED: {
    symptom: 'Bucket versioning is off',
    cause: 'The bucket is not versioned, so an overwrite or delete cannot be undone. The setup guide recommends versioning; delivery works without it.',
    fix: 'Enable versioning on the bucket (`aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled`).',
  },
  ROLE_WIDER_THAN_CONTRACT: {
    symptom: 'The role can do more than the contract grants',
    cause: 'A read-only call the delivery never needs (such as GetBucketPolicy, GetBucketAcl or ListBuckets) succeeded: the role has permissions beyond the setup guide policy.',
    fix: 'Remove the extra permissions (`ion-dest audit` lists each extra action and wider resource); attach only the setup guide policy.',
  },
  CLEANUP_FAILED: {
    symptom: 'The verifier could not remove what it created',
    cause: 'Deleting the test object or aborting the test multipart upload failed (see the message for the key or upload ID and the AWS error).',
    fix: 'Delete the named object or abort the named upload by hand (`aws s3api abort-multipart-upload`), then fix the permission the message names.',
  },
  ACCESS_NOT_REVOKED: {
    symptom: '`verify --expect-revoked` fails: First Resonance can still reach the destination',
    cause:
      'After offboarding, the role can still be assumed with the external ID and at least one of list (ListObjectsV2), write (PutObject, probed with a wrong checksum so nothing is stored: 400 BadDigest means it was authorized) or read (HeadObject of a missing key: 404 rather than 403) still works. The message names what still works.',
    fix: 'The customer deletes the stack (`aws cloudformation delete-stack`; the bucket and its data stay), destroys the role with `terraform destroy -target=aws_iam_role_policy.delivery_permissions -target=aws_iam_role.delivery` (the bucket refuses a plain destroy), or removes First Resonance from the role\'s trust policy; then First Resonance runs `verify --expect-revoked` again.',
  },
  ROLE_STILL_ASSUMABLE: {
    symptom: '`verify --expect-revoked` passes with a warning: the role can be assumed but has no access to the bucket',
    cause: 'The permission policy is gone (or denies everything), so list, write and read were each refused, but the trust policy still admits First Resonance with the external ID.',
    fix: 'Nothing is reachable, so the revocation holds. To close it completely, the customer deletes the role or removes First Resonance from its trust policy.',
  },
  ENDPOINT_UNREACHABLE: {
    symptom: 'Cannot reach the AWS endpoint',
    cause: 'No network route, DNS failure, proxy or firewall in the way, or a wrong `--endpoint-url` / AWS_ENDPOINT_URL.',
    fix: 'Check connectivity to the endpoint named in the message and any endpoint override; run again.',
  },
  THROTTLED: {
    symptom: 'AWS kept throttling the requests (SlowDown / Throttling)',
    cause: 'Too many requests to the same account, bucket or prefix; the retries with backoff ran out.',
    fix: 'Run again later, or lower `--concurrency` for a fleet run.',
  },
  AWS_REQUEST_FAILED: {
    symptom: 'An AWS call failed unexpectedly',
    cause: 'AWS returned an error this toolkit has no specific row for (the message names the call, the AWS error code and the request ID).',
    fix: 'Look up the AWS error code for the named call; run again with `--debug` and report it with the request ID if it persists.',
  },
  AUDIT_ROLE_NOT_FOUND: {
    symptom: 'audit: the role does not exist',
    cause: 'No role with that name in the account whose credentials ran the audit.',
    fix: 'Check the role name and that the credentials belong to the customer account (`aws sts get-caller-identity`).',
  },
  AUDIT_READ_DENIED: {
    symptom: 'audit: reading the role or bucket configuration is denied',
    cause: 'The credentials running the audit lack a read permission (iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion, or an s3:GetBucket* action).',
    fix: 'Run the audit with an administrator or a security-audit role of the customer account.',
  },
  TRUST_PRINCIPAL_MISMATCH: {
    symptom: 'Trust policy does not allow the First Resonance account',
    cause: "The trust statement's `Principal` names another account (or a single user/role) instead of `arn:aws:iam::<fr-account-id>:root`.",
    fix: 'Verify the `Principal` in the trust policy matches the account ID provided by your account team.',
  },
  TRUST_PRINCIPAL_WILDCARD: {
    symptom: 'Trust policy trusts every AWS account',
    cause: 'The trust statement has `Principal: "*"` (or `{"AWS": "*"}`): only the external ID stands between any AWS account and the role.',
    fix: "Set the `Principal` to First Resonance's account root ARN, exactly as in the setup guide.",
  },
  TRUST_EXTERNAL_ID_MISMATCH: {
    symptom: 'Role assumption fails with correct principal (external ID mismatch)',
    cause: 'The `sts:ExternalId` condition in the trust policy holds another value than the one First Resonance provided.',
    fix: 'Verify the `sts:ExternalId` condition matches the value provided by First Resonance.',
  },
  TRUST_EXTERNAL_ID_MISSING: {
    symptom: 'Trust policy does not require an external ID',
    cause: 'The trust statement has no `StringEquals` condition on `sts:ExternalId`, so the role is open to the confused-deputy problem.',
    fix: 'Add the condition exactly as in the setup guide (`ion-dest policy trust` prints it).',
  },
  TRUST_POLICY_WIDER: {
    symptom: 'Trust policy grants more than the contract',
    cause: 'A statement of the trust policy is not the contract\'s (First Resonance\'s account, `sts:AssumeRole`, `StringEquals` on `sts:ExternalId`): it allows other actions (`sts:TagSession`, `*`), uses `NotAction`, `NotPrincipal`, `Resource` or `NotResource`, or carries an element IAM does not know. The message says what it allows; a condition does not make it safe.',
    fix: 'Replace the trust policy with the setup guide document (`ion-dest policy trust`); a Deny statement may stay (it grants nothing).',
  },
  TRUST_CONDITION_EXTRA: {
    symptom: 'Trust policy adds conditions to the contract (warning)',
    cause: "The trust statement requires more than the external ID (another condition key or operator). Every condition must hold, so this only narrows who may assume the role, but First Resonance's requests must meet it or delivery stops.",
    fix: 'Remove the extra condition unless agreed with First Resonance; run `ion-dest verify` to prove the role can still be assumed.',
  },
  PERMISSION_POLICY_MISSING: {
    symptom: 'No permission policy on the role',
    cause: 'The role has no inline or attached policy granting the delivery actions on the bucket.',
    fix: 'Attach the permission policy from the setup guide (`ion-dest policy permissions --bucket <bucket>`).',
  },
  PERMISSION_ACTION_MISSING: {
    symptom: 'Permission policy lacks an action the delivery needs',
    cause: "An action of the setup guide policy is not granted on its resource, or a Deny statement removes it (as a warning when the Deny has a condition: it removes the action whenever the condition holds).",
    fix: 'Add the missing action named in the message on the named resource; the setup guide policy lists all seven.',
  },
  PERMISSION_ACTION_EXTRA: {
    symptom: 'Permission policy grants extra actions',
    cause: 'An inline or attached policy allows actions the delivery never uses: another action, a wildcard such as `s3:*` or `*`, `NotAction` (every action but the named ones), or an element an identity policy does not take. A condition on it does not make it safe.',
    fix: 'Remove the extra actions named in the message (or detach the managed policy that grants them); keep exactly the setup guide policy.',
  },
  PERMISSION_RESOURCE_WIDER: {
    symptom: 'Permission policy reaches beyond the bucket',
    cause: 'An inline or attached policy allows an action on a resource outside `arn:aws:s3:::<bucket>` and its objects (and the bucket\'s KMS key): a wildcard such as `*`, another bucket, or `NotResource`. A resource inside the bucket (`arn:aws:s3:::<bucket>/acme/*`) is not wider.',
    fix: 'Restrict the resources to the bucket and its objects, as in the setup guide.',
  },
  PERMISSION_NARROWED_TO_PREFIX: {
    symptom: 'Permission policy is narrowed to a tenant prefix (warning)',
    cause: "The role has the opt-in prefix-narrowed policy (CloudFormation `TenantPrefix`, Terraform `tenant_prefix`, `ion-dest policy permissions --tenant-prefix`): objects only under `<prefix>/`, listing only for `s3:prefix` `<prefix>/*`. Deliveries for that tenant work; the audit was not told the prefix, so it compared with the setup guide's whole-bucket policy.",
    fix: 'Run `ion-dest audit` again with `--tenant-prefix <prefix>` (the prefix the message names) to check the policy as exact; if the narrowing was not intended, clear `TenantPrefix` / `tenant_prefix`.',
  },
  BUCKET_PUBLIC_ACCESS_NOT_BLOCKED: {
    symptom: 'Bucket public access is not fully blocked',
    cause: 'One or more of the four S3 Block Public Access settings is off on the bucket.',
    fix: 'Turn on all four Block Public Access settings for the bucket.',
  },
  BUCKET_OWNERSHIP_NOT_ENFORCED: {
    symptom: 'Bucket ACLs are still in effect',
    cause: "Object Ownership is not `BucketOwnerEnforced`, so objects written by another account's role could be owned by that account.",
    fix: 'Set Object Ownership to Bucket owner enforced (ACLs disabled).',
  },
  BUCKET_POLICY_RISK: {
    symptom: 'Bucket policy may block the delivery',
    cause: 'A bucket policy statement denies, with no condition, an action the delivery role needs (or has an Effect other than Allow and Deny).',
    fix: 'Review the statements named in the message; the delivery needs no bucket policy statement but the TLS-only deny.',
  },
  BUCKET_POLICY_PUBLIC: {
    symptom: 'Bucket policy grants access to anyone',
    cause: 'A bucket policy statement allows `Principal: "*"` (or uses `NotPrincipal`), so any AWS account and anonymous callers get the access it names (unless Block Public Access\'s `RestrictPublicBuckets` is on, which limits a public policy to your own account and AWS services). A condition such as `Bool aws:SecureTransport "true"` does not limit who; only `StringEquals` on `aws:PrincipalAccount`/`aws:SourceAccount` (or `aws:PrincipalArn`) naming your own account does.',
    fix: 'Remove the statement (the delivery needs none), or name principals of your own account, or add `StringEquals` `aws:PrincipalAccount` your account ID.',
  },
  BUCKET_POLICY_CROSS_ACCOUNT: {
    symptom: 'Bucket policy grants another account direct access',
    cause: "A bucket policy statement allows a principal outside the bucket owner's account (First Resonance's account, another account, a service or federated principal) to reach the bucket directly, bypassing the delivery role, its external ID and its permission policy.",
    fix: 'Remove the statement: First Resonance reaches the bucket only through the delivery role. For a service principal, add `StringEquals` `aws:SourceAccount` your account ID.',
  },
  BUCKET_POLICY_NO_TLS_DENY: {
    symptom: 'Bucket policy does not refuse plain HTTP (warning)',
    cause: 'The bucket has no policy statement denying requests without TLS (Deny, `Principal: "*"`, `s3:*` on the bucket and its objects, `Bool` `aws:SecureTransport` `"false"`), which the customer stack deploys.',
    fix: 'Add the TLS-only deny of the customer stack (CloudFormation `BucketPolicy`, Terraform `aws_s3_bucket_policy`) to the bucket policy.',
  },
  BUCKET_LIFECYCLE_NO_ABORT: {
    symptom: 'No lifecycle rule aborts incomplete multipart uploads',
    cause: "Parts of an interrupted upload would stay (and be billed) until someone aborts them.",
    fix: 'Add a lifecycle rule with `AbortIncompleteMultipartUpload` (for example after 7 days).',
  },
  SNAPSHOT_SOURCE_INVALID: {
    symptom: 'deliver: the snapshot source cannot be packed',
    cause: 'What the delivery lists after its pre-flight (an s3:// attachment key, or a directory changed since) has a directory that is missing or unreadable, a file that is not a table (<table>.csv or <table>.csv.gz), a symbolic link or special file, two entries of the same name or names equal under Unicode NFC, or a name that is not UTF-8 or has a control, bidirectional-control or line-separator character, "..", or an empty segment.',
    fix: 'Fix the file the message names (rename, remove or move it) and run the same job again. Nothing is skipped silently.',
  },
  SOURCE_FILE_CHANGED: {
    symptom: 'deliver: a source file changed while it was being packed',
    cause: 'A table or attachment file (the message names it) was deleted, replaced, truncated, appended to or rewritten between the listing of the snapshot and its last byte being read: its size, modification time or file identity changed. The archive holding it was aborted, never completed, and no manifest was written.',
    fix: 'Deliver from a snapshot that does not change while it is delivered (a copy, or a quiesced export), and run the same job again: the re-run replaces the previous delivery of the job as a whole.',
  },
  SPOOL_FAILED: {
    symptom: 'deliver: compressing a table to the temporary folder failed',
    cause: 'The temporary folder (TMPDIR, else the system default) is full, not writable, or the table stream failed mid-read.',
    fix: 'Free space in the temporary folder or point TMPDIR at a larger disk (the spool is `$TMPDIR/ion-dest-spool-<pid>-…`; it needs at most the compressed size of the tables: each is deleted once packed), then run the job again. Spools of deliveries that were killed are removed by the next delivery or `cleanup` on the machine.',
  },
  ARCHIVE_SIZE_MISMATCH: {
    symptom: 'deliver: an archive came out another size than planned',
    cause: 'A defect in the toolkit: the tar geometry it planned differs from what it packed. The upload was aborted.',
    fix: 'Report it with the message (key, planned and actual size) and run with --debug.',
  },
  UPLOAD_FAILED: {
    symptom: 'deliver: uploading an archive failed',
    cause: 'S3 (or the endpoint) kept failing after every retry: connection resets, 5xx errors or throttling, or the role lost access during the upload. The multipart upload was aborted, so no partial object or stored parts remain.',
    fix: 'Read the AWS error in the message, fix what it names, and run the same job again: the re-run replaces the previous delivery of the job as a whole (its manifest is removed first, so the job reads as incomplete until the re-run completes).',
  },
  UPLOAD_NOT_ABORTED: {
    symptom: 'deliver: a failed upload could not be aborted',
    cause: 'The upload failed, and aborting its multipart upload failed too (typically the endpoint was unreachable), so stored parts remain under the tenant prefix.',
    fix: 'When the endpoint answers again, run `ion-dest cleanup` for the tenant (same role, external ID, bucket and region); it lists and aborts incomplete uploads.',
  },
  UPLOAD_VERIFY_FAILED: {
    symptom: 'deliver: the uploaded object does not match what was sent',
    cause: 'After the upload, S3 reported another size or CRC32 checksum for the key than the archive streamed (something else wrote the same key at the same time, or bytes were altered on the way).',
    fix: 'Make sure no other process delivers the same job at the same time, and run it again.',
  },
  DELIVERY_INTERRUPTED: {
    symptom: 'deliver: stopped by Ctrl-C (SIGINT) or SIGTERM',
    cause: 'The delivery was interrupted. The upload in progress was aborted and the temporary folder removed; archives already completed stay (and, for a re-run, the previous delivery\'s archives), and no manifest is there, so the delivery reads as incomplete.',
    fix: 'Run the same job again: the re-run replaces the previous delivery of the job as a whole.',
  },
  STALE_UPLOADS_REMAIN: {
    symptom: 'cleanup: some incomplete uploads could not be aborted',
    cause: 'AbortMultipartUpload failed for the uploads the message names (permission `s3:AbortMultipartUpload` missing, or the endpoint failed).',
    fix: 'Check that the role has `s3:AbortMultipartUpload` on the objects ARN and run cleanup again.',
  },
  TEMPLATE_BUCKET_NOT_FOUND: {
    symptom: 'publish-template: the template bucket does not exist',
    cause: 'The `--bucket` name is wrong, the bucket was deleted, or it is in another partition than the credentials.',
    fix: 'Create the bucket (in the region customers launch from) or name the right one; nothing was uploaded.',
  },
  TEMPLATE_BUCKET_ACCESS_DENIED: {
    symptom: 'publish-template: access denied to the template bucket',
    cause: 'The credentials lack `s3:PutObject` / `s3:GetObject` on the key, or the bucket belongs to another account than `--bucket-owner` (by default the caller\'s own account).',
    fix: 'Use credentials of the account that owns the bucket, with s3:PutObject and s3:GetObject on `<prefix>/ion-destination/*`.',
  },
  TEMPLATE_ALREADY_PUBLISHED: {
    symptom: 'publish-template: a different template already exists at the versioned key',
    cause: 'This package version was published before from other sources (the template changed without a version bump). Published links point at that key, so it is never overwritten.',
    fix: 'Bump the package version (package.json) and publish again, or publish under another `--prefix`.',
  },
  EMULATOR_START_FAILED: {
    symptom: 'demo: the local AWS emulator did not start',
    cause: 'The Python interpreter (ION_DEST_PYTHON, else python3) is missing or cannot import moto with its server (`moto[server]`), its moto is not the version the emulator is tested with (the message names both), or moto exited on start (the message shows its last output).',
    fix: "Install the emulator: the moto version the message names, `pip install 'moto[server]==<version>' boto3` (`emulator/requirements.txt` in the ion-dest folder pins it), or point ION_DEST_PYTHON at a Python that has it; then run `ion-dest demo` again.",
  },
  DEPLOY_TOOL_MISSING: {
    symptom: 'demo --method cdktf: Terraform or its offline provider mirror is missing',
    cause: '`terraform` (1.9 or later) is not on PATH, or ION_DEST_PROVIDER_MIRROR does not name a folder holding registry.terraform.io/hashicorp/aws/5.100.0, which `cdktf deploy --skip-provider-lock` installs the provider from.',
    fix: 'Install Terraform 1.9 or later, then `. scripts/dev-env.sh` (it finds the mirror) or set ION_DEST_PROVIDER_MIRROR yourself; or run the demo with the default `--method cloudformation`.',
  },
  STACK_DEPLOY_FAILED: {
    symptom: "demo: deploying the customer's stack failed",
    cause: "CloudFormation rejected or rolled back the stack (the message quotes the first failed resource's reason): most often the customer identity lacks a permission the stack needs, the stack name is taken, or the bucket name exists; with `--method cdktf`, `cdktf deploy` exited with an error (its output ends the message).",
    fix: 'Give the customer identity the permissions listed in docs/demo.md ("Against real AWS"), delete a failed or existing stack of that name (`aws cloudformation delete-stack`) or pass another `--stack-name`, and run the demo again.',
  },
  DEMO_INTERRUPTED: {
    symptom: 'demo: stopped by Ctrl-C (SIGINT) or SIGTERM',
    cause: 'The demo was interrupted before it finished; it stopped the emulator and removed its temporary files.',
    fix: 'Run `ion-dest demo` again. Against real AWS, what was already created (the stack, the retained bucket, delivered objects) stays in the accounts.',
  },
} as const satisfies Record<ErrorCode, TroubleshootingRow>;
