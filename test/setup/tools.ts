import { spawnSync } from 'node:child_process';
import { motoVersionProblem, pythonExecutable } from '../../emulator/emulator.js';
import { cfnGuardBinary } from '../cloudformation/checkers.js';
import { providerMirror, terraformProblem } from '../../stacks/cdktf/terraform-tool.js';

export { providerMirror, terraformProblem };

/**
 * The external tools the test suite needs, checked once before any test runs.
 * A missing tool is a failure with a message that says how to get it, never a skip.
 */
export interface ToolCheck {
  name: string;
  /** Returns a problem description, or undefined when the tool is usable. */
  check: () => string | undefined;
}

function run(command: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}


export const TOOL_CHECKS: ToolCheck[] = [
  {
    name: 'moto (the tested version) and boto3 (Python)',
    check: () => {
      const moto = motoVersionProblem();
      if (moto) return moto;
      const r = run(pythonExecutable(), ['-c', 'import boto3, flask']);
      return r.ok ? undefined : `${pythonExecutable()} cannot import boto3/flask (${r.out.split('\n').pop()}). Install them: pip install -r emulator/requirements.txt boto3 (or set ION_DEST_PYTHON).`;
    },
  },
  {
    name: 'cfn-lint',
    check: () => (run('cfn-lint', ['--version']).ok ? undefined : 'cfn-lint is not on PATH. Install it: pip install cfn-lint'),
  },
  {
    name: 'cfn-guard 3 (npm @cdklabs/cdk-validator-cfnguard)',
    check: () => {
      let binary: string;
      try {
        binary = cfnGuardBinary();
      } catch (error) {
        return (error as Error).message;
      }
      const r = run(binary, ['--version']);
      return r.ok ? undefined : `${binary} does not run on this machine (${r.out.split('\n').pop()}).`;
    },
  },
  {
    name: 'terraform',
    check: terraformProblem,
  },
  {
    name: 'hashicorp/aws 5.100.0 provider mirror',
    check: () =>
      providerMirror()
        ? undefined
        : `ION_DEST_PROVIDER_MIRROR (${process.env.ION_DEST_PROVIDER_MIRROR ?? 'unset'}) is not a folder holding registry.terraform.io/hashicorp/aws/5.100.0. Run \`. scripts/dev-env.sh\` (it finds the mirror) or set the variable yourself.`,
  },
  ...(['initdb', 'pg_ctl', 'postgres', 'psql'] as const).map((tool) => ({
    name: `PostgreSQL ${tool}`,
    check: () =>
      run(tool, ['--version']).ok
        ? undefined
        : `${tool} is not on PATH. The PostgreSQL tests start a real server: install the PostgreSQL 15 server and client (Debian: apt-get install postgresql-15 postgresql-client-15) and put its bin folder (pg_config --bindir) on PATH.`,
  })),
  {
    name: 'GNU tar and gzip',
    check: () =>
      /GNU tar/.test(run('tar', ['--version']).out) && run('gzip', ['--version']).ok
        ? undefined
        : 'the delivery tests extract archives with GNU tar and gzip (not tar-stream). Install them: apt-get install tar gzip',
  },
  {
    name: 'bsdtar',
    check: () =>
      run('bsdtar', ['--version']).ok
        ? undefined
        : 'bsdtar is not on PATH; the delivery tests list every archive with a second tar implementation. Install it: apt-get install libarchive-tools',
  },
  {
    name: 'postgres system user',
    check: () =>
      typeof process.getuid !== 'function' || process.getuid() !== 0 || run('id', ['-u', 'postgres']).ok
        ? undefined
        : 'the tests run as root and PostgreSQL refuses to run as root; the harness starts it as the system user "postgres", which does not exist. Create it (useradd --system postgres) or run the tests as a non-root user.',
  },
];

/** Run every check and return the failures as lines ready to print. */
export function missingTools(checks: readonly ToolCheck[] = TOOL_CHECKS): string[] {
  return checks.flatMap((c) => {
    const problem = c.check();
    return problem ? [`- ${c.name}: ${problem}`] : [];
  });
}
