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
 * from here, and the README's troubleshooting section is generated from it.
 */
export const TROUBLESHOOTING = {
  INVALID_INPUT: {
    symptom: 'Input rejected before any AWS call',
    cause: 'A value given to the toolkit breaks a rule (account ID, external ID, bucket name, region, partition, KMS key ARN, role name, tenant, job ID).',
    fix: 'Correct the named field; the message states the rule. Nothing was created or changed.',
  },
} as const satisfies Record<ErrorCode, TroubleshootingRow>;
