import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BUCKET_ACTIONS,
  DENY_INSECURE_TRANSPORT_SID,
  KMS_ACTIONS,
  KMS_STATEMENT_SID,
  SECURE_TRANSPORT_CONDITION_KEY,
  bucketArn,
  bucketObjectsArn,
  permissionPolicy,
  type PolicyDocument,
} from '../../policy/index.js';
import { ABORT_INCOMPLETE_MULTIPART_DAYS, ABORT_MULTIPART_RULE_ID, buildBucketResource } from '../../stacks/cloudformation/bucket-resources.js';
import { PARAMETER } from '../../stacks/cloudformation/parameters.js';
import { DELIVERY_POLICY_NAME } from '../../stacks/cloudformation/role-resource.js';
import { readDeployConfig } from '../../stacks/cdktf/config.js';
import { DestinationStack, LOCAL, OUTPUT, STACK_NAME, deployStatePath } from '../../stacks/cdktf/destination-stack.js';
import { stringLiteral } from '../../stacks/cdktf/hcl.js';
import { VARIABLE, VARIABLE_SPECS } from '../../stacks/cdktf/variables.js';
import { AWS_PROVIDER_CONSTRAINT } from '../../stacks/cdktf/module-stack.js';
import { MODULE_DOCS_END, MODULE_DOCS_PAGE, MODULE_DOCS_START, renderModuleDocs } from '../../stacks/cdktf/module-docs.js';
import { GENERATED_NOTE, synthTerraform } from '../../stacks/cdktf/write.js';
import { contractDocument } from '../fixtures/contract.js';
import { problemsOf } from '../helpers/input-problems.js';
import { COMMITTED_TERRAFORM, REPO_ROOT, runCommand } from './terraform-harness.js';

const ACCOUNT = '111122223333';
const EXTERNAL_ID = 'ion-acme-7f3a9c';
const NEXT_EXTERNAL_ID = 'ion-acme-8b4d0e';
const BUCKET = 'acme-ion-snapshots';
const KMS_KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

type TerraformJson = {
  '//': string;
  terraform: {
    backend?: { local: { path: string } };
    required_version: string;
    required_providers: { aws: { source: string; version: string } };
  };
  provider?: { aws: Record<string, unknown>[] };
  variable: Record<string, { default?: unknown; validation?: unknown[] }>;
  locals: Record<string, string>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: string }>;
};

const committedText = readFileSync(COMMITTED_TERRAFORM, 'utf8');
const committed = JSON.parse(committedText) as TerraformJson;

/** Fill the Terraform references of a policy template with plain values, then parse it. */
function substitute(template: string, values: Record<string, string>): PolicyDocument {
  let text = template;
  for (const [reference, value] of Object.entries(values)) text = text.split(`\${${reference}}`).join(value);
  expect(text, 'every Terraform reference is substituted').not.toContain('${');
  return JSON.parse(text) as PolicyDocument;
}

const REFERENCES = {
  'data.aws_partition.current.partition': 'aws',
  'local.inputs.trusted_account_id': ACCOUNT,
  'local.inputs.external_id': EXTERNAL_ID,
  'local.inputs.additional_external_id': NEXT_EXTERNAL_ID,
  'local.inputs.kms_key_arn': KMS_KEY,
  'local.bucket_name': BUCKET,
  'local.inputs.tenant_prefix': 'acme',
};

describe('the committed Terraform (templates/terraform)', () => {
  it('is exactly what stacks/cdktf synthesizes (run `npm run generate` after a change)', () => {
    expect(committedText).toBe(synthTerraform());
  });

  it('is a child module: no provider, no backend, a provider version constraint (not a pin), required_version, no absolute path', () => {
    expect(committed['//']).toBe(GENERATED_NOTE);
    expect(committed['//']).toMatch(/GENERATED .*Do not edit/);
    expect(committed.terraform.required_providers.aws).toEqual({ source: 'hashicorp/aws', version: AWS_PROVIDER_CONSTRAINT });
    expect(AWS_PROVIDER_CONSTRAINT).toBe('>= 5.0.0, < 7.0.0');
    expect(committed.terraform.required_version).toBe('>= 1.9.0');
    expect(committed.terraform.backend).toBeUndefined();
    expect(committed.provider).toBeUndefined();
    expect(committedText).not.toContain(REPO_ROOT);
    expect(committedText).not.toContain(tmpdir());
    expect(committedText).not.toMatch(/"\/(?:work|tmp|root|home|opt)\//);
    expect(committedText).not.toContain('endpoints');
  });

  it('every variable and output has a description, every variable a type', () => {
    for (const [name, variable] of Object.entries(committed.variable)) {
      expect(variable, name).toMatchObject({ type: expect.any(String), description: expect.any(String) });
    }
    for (const [name, output] of Object.entries(committed.output)) {
      expect((output as { description?: string }).description, name).toEqual(expect.any(String));
    }
  });

  it('takes the issue\'s inputs as variables, one per CloudFormation parameter, and gives the three outputs', () => {
    const snake = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    const fromParameters = Object.values(PARAMETER).map(snake).sort();
    const extras = Object.keys(committed.variable).filter((v) => !fromParameters.includes(v));
    const additional = snake(PARAMETER.additionalExternalId);
    expect(Object.keys(committed.variable).filter((v) => fromParameters.includes(v)).sort()).toEqual(fromParameters);
    // The region is the caller's provider's: the module has no region variable.
    expect(extras).toEqual([]);
    expect(additional).toBe(VARIABLE.additionalExternalId);
    for (const required of ['trusted_account_id', 'external_id', 'bucket_name', 'use_existing_bucket', 'kms_key_arn', 'role_name']) {
      expect(committed.variable).toHaveProperty(required);
    }
    expect(committed.variable.trusted_account_id!.default).toBeUndefined();
    expect(committed.variable.external_id!.default).toBeUndefined();
    expect(committed.variable.event_bridge_notifications!.default).toBe(true);
    expect(committed.variable.use_existing_bucket!.default).toBe(false);
    expect(Object.keys(committed.output).sort()).toEqual(Object.values(OUTPUT).sort());
    for (const [name, spec] of Object.entries(VARIABLE_SPECS)) {
      if (name === VARIABLE.region) continue;
      expect(committed.variable[name]!.validation ?? [], name).toHaveLength(spec.checks.length);
    }
  });
});

describe("the module's inputs and outputs table in docs/devops-terraform-cdktf.md", () => {
  it('is exactly the table generated from the variable definitions (run `npm run generate`)', () => {
    const page = readFileSync(MODULE_DOCS_PAGE, 'utf8');
    expect(page.indexOf(MODULE_DOCS_START), 'the page lacks the terraform-module markers').toBeGreaterThan(-1);
    const section = page.slice(page.indexOf(MODULE_DOCS_START) + MODULE_DOCS_START.length, page.indexOf(MODULE_DOCS_END));
    expect(section).toBe(`\n${renderModuleDocs()}\n`);
  });

  it('lists every variable and output of the committed module, with its type, default and description', () => {
    const table = renderModuleDocs();
    for (const [name, variable] of Object.entries(committed.variable) as [string, { type?: string; default?: unknown; description?: string }][]) {
      const fallback = variable.default === undefined ? '(required)' : `\`${JSON.stringify(variable.default)}\``;
      expect(table).toContain(`| \`${name}\` | \`${variable.type}\` | ${fallback} | ${variable.description} |`);
    }
    for (const [name, output] of Object.entries(committed.output) as [string, { description?: string }][]) {
      expect(table).toContain(`| \`${name}\` | ${output.description} |`);
    }
    expect(table).toContain(AWS_PROVIDER_CONSTRAINT);
  });
});

describe('the Terraform policies against the setup guide contract', () => {
  it('the default trust policy is exactly the guide document', () => {
    const doc = substitute(committed.locals[LOCAL.trustPolicyOneExternalId]!, REFERENCES);
    expect(JSON.stringify(doc)).toBe(
      JSON.stringify(contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: EXTERNAL_ID })),
    );
  });

  it('the default permission policy is exactly the guide document', () => {
    const doc = substitute(committed.locals[LOCAL.permissionPolicySseS3]!, REFERENCES);
    expect(JSON.stringify(doc)).toBe(JSON.stringify(contractDocument('permission-policy', { bucket: BUCKET })));
  });

  it('a rotation only turns the external ID into a list of both IDs', () => {
    const doc = substitute(committed.locals[LOCAL.trustPolicyTwoExternalIds]!, REFERENCES);
    const expected = contractDocument('trust-policy', { frAccountId: ACCOUNT, externalId: EXTERNAL_ID });
    expected.Statement[0]!.Condition!.StringEquals!['sts:ExternalId'] = [EXTERNAL_ID, NEXT_EXTERNAL_ID];
    expect(JSON.stringify(doc)).toBe(JSON.stringify(expected));
  });

  it('SSE-KMS only adds the KMS statement on the key', () => {
    const doc = substitute(committed.locals[LOCAL.permissionPolicySseKms]!, REFERENCES);
    const base = contractDocument('permission-policy', { bucket: BUCKET });
    expect(doc.Statement).toHaveLength(2);
    expect(JSON.stringify(doc.Statement[0])).toBe(JSON.stringify(base.Statement[0]));
    expect(doc.Statement[1]).toEqual({ Sid: KMS_STATEMENT_SID, Effect: 'Allow', Action: [...KMS_ACTIONS], Resource: KMS_KEY });
    expect(doc.Statement[0]!.Action).toEqual([...BUCKET_ACTIONS]);
  });

  it('the bucket policy denies every non-TLS request to the bucket and its objects, and nothing else', () => {
    const doc = substitute(committed.locals[LOCAL.bucketPolicy]!, REFERENCES);
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]).toMatchObject({
      Sid: DENY_INSECURE_TRANSPORT_SID,
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn('aws', BUCKET), bucketObjectsArn('aws', BUCKET)],
      Condition: { Bool: { [SECURE_TRANSPORT_CONDITION_KEY]: 'false' } },
    });
  });

  it('the role and its inline policy take the chosen documents, under the CloudFormation policy name', () => {
    const role = committed.resource.aws_iam_role!.delivery!;
    const policy = committed.resource.aws_iam_role_policy!.delivery_permissions!;
    expect(role.assume_role_policy).toBe(`\${local.${LOCAL.trustPolicy}}`);
    expect(policy.policy).toBe(`\${local.${LOCAL.permissionPolicy}}`);
    expect(policy.name).toBe(DELIVERY_POLICY_NAME);
    expect(committed.locals[LOCAL.trustPolicy]).toBe(
      '${local.inputs.additional_external_id != "" ? local.trust_policy_two_external_ids : local.trust_policy_one_external_id}',
    );
    expect(committed.locals[LOCAL.permissionPolicy]).toBe(
      '${local.inputs.tenant_prefix != "" ? (local.uses_kms_key ? local.tenant_permission_policy_sse_kms : local.tenant_permission_policy_sse_s3) : (local.uses_kms_key ? local.permission_policy_sse_kms : local.permission_policy_sse_s3)}',
    );
  });

  it.each([
    [LOCAL.tenantPermissionPolicySseS3, undefined],
    [LOCAL.tenantPermissionPolicySseKms, KMS_KEY],
  ])('%s is policy/\'s prefix-narrowed document', (local, kmsKeyArn) => {
    const doc = substitute(committed.locals[local]!, REFERENCES);
    expect(JSON.stringify(doc)).toBe(
      JSON.stringify(permissionPolicy({ bucket: BUCKET, tenantPrefix: 'acme', ...(kmsKeyArn ? { kmsKeyArn } : {}) })),
    );
  });
});

describe('the bucket settings match the CloudFormation template', () => {
  const cfn = buildBucketResource().Properties as Record<string, any>;
  const r = committed.resource;

  it('protects the bucket like DeletionPolicy Retain', () => {
    const bucket = r.aws_s3_bucket!.destination!;
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    expect(bucket.force_destroy).toBe(false);
  });

  it('versioning, public access block, ownership and lifecycle carry the same values', () => {
    expect(r.aws_s3_bucket_versioning!.destination_versioning!.versioning_configuration).toEqual({
      status: cfn.VersioningConfiguration.Status,
    });
    const pab = r.aws_s3_bucket_public_access_block!.destination_public_access_block!;
    expect({
      BlockPublicAcls: pab.block_public_acls,
      BlockPublicPolicy: pab.block_public_policy,
      IgnorePublicAcls: pab.ignore_public_acls,
      RestrictPublicBuckets: pab.restrict_public_buckets,
    }).toEqual(cfn.PublicAccessBlockConfiguration);
    expect(r.aws_s3_bucket_ownership_controls!.destination_ownership_controls!.rule).toEqual({
      object_ownership: cfn.OwnershipControls.Rules[0].ObjectOwnership,
    });
    const rule = (r.aws_s3_bucket_lifecycle_configuration!.destination_lifecycle!.rule as any[])[0];
    expect(rule.id).toBe(ABORT_MULTIPART_RULE_ID);
    expect(rule.status).toBe('Enabled');
    expect(rule.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: ABORT_INCOMPLETE_MULTIPART_DAYS }]);
    expect(ABORT_INCOMPLETE_MULTIPART_DAYS).toBe(7);
  });

  it('encrypts with SSE-S3, or SSE-KMS with a Bucket Key when a key is given', () => {
    const rule = (r.aws_s3_bucket_server_side_encryption_configuration!.destination_encryption!.rule as any[])[0];
    expect(rule.apply_server_side_encryption_by_default).toEqual({
      kms_master_key_id: '${local.uses_kms_key ? local.inputs.kms_key_arn : null}',
      sse_algorithm: '${local.uses_kms_key ? "aws:kms" : "AES256"}',
    });
    expect(rule.bucket_key_enabled).toBe('${local.uses_kms_key ? true : null}');
  });

  it('creates no bucket resource in existing-bucket mode, and EventBridge and access logs only when asked', () => {
    for (const [type, resources] of Object.entries(r)) {
      if (!type.startsWith('aws_s3_bucket')) continue;
      for (const [name, resource] of Object.entries(resources)) {
        expect(String(resource.count), `${type}.${name}`).toMatch(/^\$\{local\.create_bucket( \?| &&)/);
      }
    }
    expect(r.aws_s3_bucket_notification!.destination_event_bridge!.count).toBe(
      '${local.create_bucket && local.inputs.event_bridge_notifications ? 1 : 0}',
    );
    expect(r.aws_s3_bucket_logging!.destination_access_logs!.count).toBe(
      '${local.create_bucket && local.inputs.access_log_bucket != "" ? 1 : 0}',
    );
    expect(committed.locals[LOCAL.createBucket]).toBe('${!local.inputs.use_existing_bucket}');
    expect(committed.locals[LOCAL.inputs]).toMatchObject({ use_existing_bucket: '${var.use_existing_bucket}' });
  });
});

describe('the cdktf deploy form', () => {
  function synth(options: ConstructorParameters<typeof DestinationStack>[2]): TerraformJson {
    const app = new App({ stackTraces: false });
    return new DestinationStack(app, STACK_NAME, options).toTerraform() as TerraformJson;
  }

  it('turns configured inputs into variable defaults and adds emulator endpoints only when given', () => {
    const plain = synth({ inputs: { trusted_account_id: ACCOUNT, use_existing_bucket: true, bucket_name: BUCKET } });
    expect(plain.variable.trusted_account_id!.default).toBe(ACCOUNT);
    expect(plain.variable.use_existing_bucket!.default).toBe(true);
    expect(plain.variable.external_id!.default).toBeUndefined();
    expect(JSON.stringify(plain.provider)).not.toContain('endpoints');

    const local = synth({ endpointUrl: 'http://127.0.0.1:5000', statePath: '../../../terraform.x.tfstate' });
    expect(local.provider!.aws[0]).toMatchObject({
      endpoints: [{ s3: 'http://127.0.0.1:5000', iam: 'http://127.0.0.1:5000', sts: 'http://127.0.0.1:5000' }],
      s3_use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
    });
    expect(local.terraform.backend!.local.path).toBe('../../../terraform.x.tfstate');
  });

  it('keeps the deploy state beside cdktf.json, as a relative path', () => {
    const cwd = join(tmpdir(), 'project');
    expect(deployStatePath('cdktf.out', cwd)).toBe(`../../../terraform.${STACK_NAME}.tfstate`);
    expect(deployStatePath(join(cwd, 'out'), cwd)).toBe(`../../../terraform.${STACK_NAME}.tfstate`);
  });
});

describe('cdktf deploy configuration (stacks/cdktf/config.ts)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  function configDir(file?: Record<string, unknown>): string {
    dir = mkdtempSync(join(tmpdir(), 'ion-dest-cdktf-config-'));
    if (file) writeFileSync(join(dir, 'ion-dest.tfvars.json'), JSON.stringify(file));
    return dir;
  }

  it('takes environment over the config file over cdktf.json context', () => {
    const cwd = configDir({ trusted_account_id: ACCOUNT, external_id: 'from-file', bucket_name: BUCKET });
    const config = readDeployConfig({
      cwd,
      env: { ION_DEST_EXTERNAL_ID: EXTERNAL_ID, ION_DEST_USE_EXISTING_BUCKET: 'true' },
      context: { external_id: 'from-context', role_name: 'from-context', bucket_name: 'context-bucket' },
    });
    expect(config.inputs).toEqual({
      trusted_account_id: ACCOUNT,
      external_id: EXTERNAL_ID,
      bucket_name: BUCKET,
      use_existing_bucket: true,
      role_name: 'from-context',
    });
    expect(config.origins.external_id).toBe('ION_DEST_EXTERNAL_ID');
    expect(config.origins.bucket_name).toBe('ion-dest.tfvars.json "bucket_name"');
    expect(config.endpointUrl).toBeUndefined();
  });

  it('reads the endpoint override from ION_DEST_AWS_ENDPOINT_URL, else AWS_ENDPOINT_URL', () => {
    const cwd = configDir();
    expect(readDeployConfig({ cwd, env: { ION_DEST_AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/' } }).endpointUrl).toBe(
      'http://127.0.0.1:4566',
    );
    expect(readDeployConfig({ cwd, env: { AWS_ENDPOINT_URL: 'http://localhost:5000' } }).endpointUrl).toBe('http://localhost:5000');
  });

  it('reports every bad value at once, naming field, source, value and the policy rule', () => {
    const cwd = configDir({ trusted_account_id: '1234', kms_key_arn: 'arn:aws:kms:us-east-1:111122223333:alias/x', colour: 'blue' });
    const problems = problemsOf(() =>
      readDeployConfig({
        cwd,
        env: { ION_DEST_BUCKET_NAME: 'Bad_Bucket', ION_DEST_EVENT_BRIDGE_NOTIFICATIONS: 'yes' },
        context: { role_name: 'has space' },
      }),
    );
    expect(problems.map((p) => p.field).sort()).toEqual(
      [
        'ion-dest.tfvars.json "colour"',
        'trusted_account_id (ion-dest.tfvars.json "trusted_account_id")',
        'kms_key_arn (ion-dest.tfvars.json "kms_key_arn")',
        'bucket_name (ION_DEST_BUCKET_NAME)',
        'event_bridge_notifications (ION_DEST_EVENT_BRIDGE_NOTIFICATIONS)',
        'role_name (cdktf.json context "role_name")',
      ].sort(),
    );
    const byField = Object.fromEntries(problems.map((p) => [p.field.split(' ')[0], p]));
    expect(byField.trusted_account_id).toMatchObject({ value: '1234', rule: 'an AWS account ID is exactly 12 digits' });
    expect(byField.bucket_name!.rule).toContain('lowercase');
    expect(byField.kms_key_arn!.rule).toContain('alias ARN is not accepted');
    expect(byField.event_bridge_notifications).toMatchObject({ value: 'yes', rule: 'the value is true or false' });
  });

  it('checks the cross-field rules: an existing bucket needs its name, the two external IDs differ', () => {
    const cwd = configDir();
    const problems = problemsOf(() =>
      readDeployConfig({
        cwd,
        env: { ION_DEST_USE_EXISTING_BUCKET: 'true', ION_DEST_EXTERNAL_ID: 'same-id', ION_DEST_ADDITIONAL_EXTERNAL_ID: 'same-id' },
      }),
    );
    expect(problems.map((p) => p.rule)).toEqual([
      'use_existing_bucket is true only together with bucket_name naming the existing bucket',
      'additional_external_id differs from external_id',
    ]);
  });

  it('treats empty optional inputs as unset, but an empty required input as bad', () => {
    const cwd = configDir();
    expect(readDeployConfig({ cwd, env: { ION_DEST_KMS_KEY_ARN: '', ION_DEST_REGION: '' } }).inputs).toEqual({ kms_key_arn: '', region: '' });
    expect(problemsOf(() => readDeployConfig({ cwd, env: { ION_DEST_EXTERNAL_ID: '' } }))[0]!.rule).toContain('2 to 1224');
  });

  it('fails clearly on a missing or malformed config file named by ION_DEST_CONFIG', () => {
    const cwd = configDir();
    expect(problemsOf(() => readDeployConfig({ cwd, env: { ION_DEST_CONFIG: 'nope.json' } }))[0]).toMatchObject({
      field: 'ION_DEST_CONFIG',
      value: 'nope.json',
      rule: 'the configuration file exists',
    });
    writeFileSync(join(cwd, 'list.json'), '[1]');
    expect(problemsOf(() => readDeployConfig({ cwd, env: { ION_DEST_CONFIG: 'list.json' } }))[0]!.rule).toBe(
      'the configuration file holds one JSON object',
    );
  });
});

describe('Terraform string literals (stacks/cdktf/hcl.ts)', () => {
  it.each([
    ['^[0-9]{12}$', '"^[0-9]{12}$"'],
    ['^[\\w+=,.@:/-]*$', '"^[\\\\w+=,.@:/-]*$"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['${var.x}', '"$${var.x}"'],
    ['%{ if }', '"%%{ if }"'],
  ])('quotes %j as %s', (value, literal) => {
    expect(stringLiteral(value)).toBe(literal);
  });
});

describe('the cdktf app (stacks/cdktf/main.ts, what `cdktf synth` and `cdktf deploy` run)', () => {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const main = join(REPO_ROOT, 'stacks', 'cdktf', 'main.ts');
  let outdir: string | undefined;
  afterEach(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
    outdir = undefined;
  });
  function runApp(env: Record<string, string>) {
    outdir = mkdtempSync(join(tmpdir(), 'ion-dest-cdktf-app-'));
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ION_DEST_') && k !== 'AWS_ENDPOINT_URL'));
    return runCommand(process.execPath, [tsx, main], outdir, { ...clean, CDKTF_OUTDIR: outdir, ...env });
  }

  it('stops before synthesizing, with the IonDestError message and exit code 2, on a bad input', async () => {
    const result = await runApp({ ION_DEST_TRUSTED_ACCOUNT_ID: '12345', ION_DEST_EXTERNAL_ID: EXTERNAL_ID });
    expect(result.code).toBe(2);
    expect(result.output).toContain(
      'error [INVALID_INPUT]: Invalid trusted_account_id (ION_DEST_TRUSTED_ACCOUNT_ID) "12345": an AWS account ID is exactly 12 digits.',
    );
    expect(existsSync(join(outdir!, 'stacks', STACK_NAME))).toBe(false);
    expect(existsSync(join(outdir!, 'manifest.json'))).toBe(false);
  });

  it('synthesizes the stack with the configuration as variable defaults and the emulator endpoint', async () => {
    const result = await runApp({
      ION_DEST_TRUSTED_ACCOUNT_ID: ACCOUNT,
      ION_DEST_EXTERNAL_ID: EXTERNAL_ID,
      ION_DEST_AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    });
    expect(result.code, result.output).toBe(0);
    const synthesized = JSON.parse(readFileSync(join(outdir!, 'stacks', STACK_NAME, 'cdk.tf.json'), 'utf8')) as TerraformJson;
    expect(synthesized.variable.trusted_account_id!.default).toBe(ACCOUNT);
    expect(synthesized.variable.external_id!.default).toBe(EXTERNAL_ID);
    expect(synthesized.provider!.aws[0]).toMatchObject({ endpoints: [{ s3: 'http://127.0.0.1:4566' }] });
    // The same construct as the module: the same resource types and locals, under the stack's unique names.
    expect(Object.keys(synthesized.resource).sort()).toEqual(Object.keys(committed.resource).sort());
    expect(Object.keys(synthesized.locals)).toHaveLength(Object.keys(committed.locals).length);
    expect(synthesized.terraform.backend).toBeDefined();
  });
});
