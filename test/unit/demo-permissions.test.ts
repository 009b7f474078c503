import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_AUDIT_ACTIONS,
  CUSTOMER_LIST_ACTIONS,
  CUSTOMER_READ_ACTIONS,
  CUSTOMER_STACK_ACTIONS,
  VENDOR_ACTIONS,
  customerDemoActions,
  customerDemoPolicy,
} from '../../demo/permissions.js';

const DEMO_PAGE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'demo.md'), 'utf8');
const SECTION = '\n## Against real AWS\n';

/** The permissions table of docs/demo.md's "Against real AWS" section: each row's side and actions. */
function pagePermissionRows(): { side: string; actions: string[] }[] {
  if (!DEMO_PAGE.includes(SECTION)) throw new Error('docs/demo.md has no "## Against real AWS" section');
  const section = DEMO_PAGE.slice(DEMO_PAGE.indexOf(SECTION) + SECTION.length);
  const next = section.indexOf('\n## ');
  const table = next === -1 ? section : section.slice(0, next);
  return table
    .split('\n')
    .filter((line) => /^\| (First Resonance|customer)/.test(line))
    .map((line) => {
      const [, side = '', actions = ''] = line.split('|').map((cell) => cell.trim());
      return { side, actions: [...actions.matchAll(/`([a-z0-9]+:[A-Za-z*]+)`/g)].map((m) => m[1]!) };
    });
}

describe("docs/demo.md's permissions for the demo against real AWS", () => {
  const rows = pagePermissionRows();
  const cases: [string, readonly string[]][] = [
    ['First Resonance', VENDOR_ACTIONS],
    ['customer: deploy the CloudFormation stack', CUSTOMER_STACK_ACTIONS.filter((a) => a.startsWith('cloudformation:'))],
    ['customer: what CloudFormation does', CUSTOMER_STACK_ACTIONS.filter((a) => !a.startsWith('cloudformation:'))],
    ['customer: `audit`', CUSTOMER_AUDIT_ACTIONS],
    ['customer: list what landed', CUSTOMER_LIST_ACTIONS],
  ];
  it.each(cases)('row "%s" lists exactly the actions the code calls', (side, actions) => {
    const row = rows.find((r) => r.side.startsWith(side));
    expect(row, `no row for ${side}`).toBeDefined();
    expect(row!.actions).toEqual([...actions]);
  });

  it('has no other rows', () => {
    expect(rows).toHaveLength(cases.length);
  });
});

describe("the emulator customer's policy", () => {
  it('allows each of the demo actions once, reading the delivered objects, and nothing else', () => {
    const policy = customerDemoPolicy();
    expect(policy.Statement).toHaveLength(2);
    expect(policy.Statement[0]).toMatchObject({ Effect: 'Allow', Resource: '*' });
    expect(policy.Statement[1]).toEqual({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' });
    expect(CUSTOMER_READ_ACTIONS).toEqual(['s3:GetObject']);
    const actions = policy.Statement[0]!.Action as string[];
    expect(new Set(actions).size).toBe(actions.length);
    expect(new Set(actions)).toEqual(new Set([...CUSTOMER_STACK_ACTIONS, ...CUSTOMER_AUDIT_ACTIONS, ...CUSTOMER_LIST_ACTIONS]));
    expect(customerDemoActions()).toEqual(actions);
    expect(actions.some((a) => a.includes('*'))).toBe(false);
  });
});
