import { IonDestError } from '../../errors/index.js';
import { CUSTOMER_ACCOUNT_ID, VENDOR_ACCOUNT_ID, createAccountIdentity, createVendorIdentity, type AccountIdentity } from '../../emulator/accounts.js';
import { pythonExecutable, startEmulator, type Emulator } from '../../emulator/emulator.js';
import { customerDemoPolicy } from '../permissions.js';

/** The customer's administrator in the emulator: deploys the stack, lists the bucket, runs the audit. */
export const CUSTOMER_ADMIN_USER = 'ion-destination-admin';
/** First Resonance's delivery identity in the emulator. */
export const VENDOR_USER = 'ion-delivery';

/**
 * Start the local emulator: moto's server with the fidelity layer, on a free loopback
 * port. A missing or broken moto becomes EMULATOR_START_FAILED with what moto said.
 */
export async function startDemoEmulator(): Promise<Emulator> {
  try {
    return await startEmulator();
  } catch (error) {
    const detail = (error as Error).message.trim().split('\n').slice(-3).join(' | ');
    throw new IonDestError('EMULATOR_START_FAILED', `Could not start moto with ${pythonExecutable()}: ${detail}`, { source: 'user', cause: error });
  }
}

export interface DemoIdentities {
  vendor: AccountIdentity;
  customer: AccountIdentity;
}

/**
 * Two accounts in one emulator: First Resonance's (an IAM user allowed sts:AssumeRole on
 * customer roles, as its delivery service is) and the customer's (an IAM user holding
 * exactly the actions the README lists for the customer's side).
 */
export async function createDemoIdentities(emulator: Emulator): Promise<DemoIdentities> {
  const vendor = await createVendorIdentity(emulator, { accountId: VENDOR_ACCOUNT_ID, userName: VENDOR_USER });
  const customer = await createAccountIdentity(emulator, { accountId: CUSTOMER_ACCOUNT_ID, userName: CUSTOMER_ADMIN_USER, policy: customerDemoPolicy() });
  return { vendor, customer };
}
