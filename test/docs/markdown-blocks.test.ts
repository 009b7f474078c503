import { describe, expect, it } from 'vitest';
import { commandPath, extractCommands, flagsOf, ionDestPrefixLength, optionalVariants, parseFencedBlocks, splitWords } from './markdown-blocks.js';
import { normalizeLine, outputDifferences } from './readme-output.js';

const FENCE = '```';

function commandsOf(markdown: string) {
  return parseFencedBlocks(markdown).flatMap(extractCommands);
}

describe('Markdown block parsing', () => {
  const cases: { name: string; markdown: string; expected: { argv: string[]; env?: Record<string, string>; chain?: string; heredoc?: string; heredocEnd?: string; output?: string[] }[] }[] = [
    {
      name: 'bash: continuations joined, comments dropped, && split',
      markdown: `${FENCE}bash\n# a comment\nnpm ci && npx --no-install ion-dest demo\nnpx --no-install ion-dest verify \\\n  --bucket b   # trailing\n${FENCE}\n`,
      expected: [
        { argv: ['npm', 'ci'], chain: 'npm ci && npx --no-install ion-dest demo' },
        { argv: ['npx', '--no-install', 'ion-dest', 'demo'], chain: 'npm ci && npx --no-install ion-dest demo' },
        { argv: ['npx', '--no-install', 'ion-dest', 'verify', '--bucket', 'b'] },
      ],
    },
    {
      name: 'environment prefixes and quotes',
      markdown: `${FENCE}sh\nAWS_PROFILE=fr DATABASE_URL=postgres://u@h:1/d npx --no-install ion-dest deliver --tenant "a b" --x='q'\n${FENCE}\n`,
      expected: [{ argv: ['npx', '--no-install', 'ion-dest', 'deliver', '--tenant', 'a b', '--x=q'], env: { AWS_PROFILE: 'fr', DATABASE_URL: 'postgres://u@h:1/d' } }],
    },
    {
      name: 'here-document kept with its command',
      markdown: `${FENCE}bash\ncat > x.json <<'EOF'\n{ "a": 1 }\nEOF\nnpm test\n${FENCE}\n`,
      expected: [{ argv: ['cat', '>', 'x.json'], heredoc: '{ "a": 1 }', heredocEnd: 'EOF' }, { argv: ['npm', 'test'] }],
    },
    {
      name: 'text transcript: $ lines are commands, the rest their output',
      markdown: `${FENCE}text\n$ ion-dest verify --fleet f.csv\nrow 1\nrow 2\n$ ion-dest audit \\\n  --bucket b\nOK\n${FENCE}\n`,
      expected: [
        { argv: ['ion-dest', 'verify', '--fleet', 'f.csv'], output: ['row 1', 'row 2'] },
        { argv: ['ion-dest', 'audit', '--bucket', 'b'], output: ['OK'] },
      ],
    },
    { name: 'text block without a prompt, json and ts blocks hold no commands', markdown: `${FENCE}text\nion-dest output\n${FENCE}\n${FENCE}ts\nrun();\n${FENCE}\n`, expected: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = commandsOf(c.markdown).map((cmd) => ({
        argv: cmd.argv,
        ...(c.expected.some((e) => e.env) ? { env: cmd.env } : {}),
        ...(c.expected.some((e) => e.chain) && cmd.chain.includes('&&') ? { chain: cmd.chain } : {}),
        ...(cmd.heredoc !== undefined ? { heredoc: cmd.heredoc, heredocEnd: cmd.heredocEnd } : {}),
        ...(cmd.shownOutput ? { output: cmd.shownOutput } : {}),
      }));
      expect(got).toEqual(c.expected.map((e) => ({ ...e, ...(c.expected.some((x) => x.env) ? { env: e.env ?? {} } : {}) })));
    });
  }

  it('reads the markers on the lines above a fence, not further up, with or without a value', () => {
    const blocks = parseFencedBlocks(`<!-- needs: other -->\ntext\n\n<!-- expect-exit: 1 -->\n<!-- real-aws -->\n<!-- needs: postgres -->\n\n${FENCE}bash\nx\n${FENCE}\n`, 'docs/deliver.md');
    expect(blocks[0]!.markers).toEqual({ 'expect-exit': '1', 'real-aws': '', needs: 'postgres' });
    expect(blocks[0]!.page).toBe('docs/deliver.md');
  });

  it('splits shell words without expanding them: quotes removed, operators and globs kept as written, comments dropped', () => {
    expect(splitWords(`AWS_PROFILE=fr-delivery ion-dest verify --bucket "$BUCKET" --tenant 'a b' > out.json # note`)).toEqual([
      'AWS_PROFILE=fr-delivery',
      'ion-dest',
      'verify',
      '--bucket',
      '$BUCKET',
      '--tenant',
      'a b',
      '>',
      'out.json',
    ]);
    expect(splitWords('ls ./t/*.csv | head')).toEqual(['ls', './t/*.csv', '|', 'head']);
  });

  it('a bracketed option gives two variants: without it and with it', () => {
    expect(optionalVariants(splitWords('ion-dest audit --bucket b [--region us-east-1] [--json]'))).toEqual([
      ['ion-dest', 'audit', '--bucket', 'b'],
      ['ion-dest', 'audit', '--bucket', 'b', '--region', 'us-east-1', '--json'],
    ]);
    expect(optionalVariants(['ion-dest', 'verify'])).toEqual([['ion-dest', 'verify']]);
  });

  it('finds the ion-dest prefix, the command path and the flags', () => {
    expect(ionDestPrefixLength(['npx', '--no-install', 'ion-dest', 'x'])).toBe(3);
    expect(ionDestPrefixLength(['ion-dest', 'x'])).toBe(1);
    expect(ionDestPrefixLength(['npx', 'ion-dest', 'x'])).toBe(0);
    expect(commandPath(['policy', 'trust', '--trusted-account', '1'])).toEqual(['policy', 'trust']);
    expect(flagsOf(['a', '--no-probes', '--x=1', '-var', 'n=v'])).toEqual(['no-probes', 'x']);
  });
});

describe('shown output against a real run', () => {
  const actual = [
    'Verifying s3://b/acme/ (us-east-1, owner 444455556666) through arn:aws:iam::444455556666:role/r',
    '  PASS  assume-role           assumed it (186 ms)',
    '  WARN  versioning            bucket is not versioned (0 ms)',
    '                              code:  VERSIONING_DISABLED',
    '                              request ID: abc',
    'OK: 1 passed, 0 failed, 1 warnings, 0 skipped',
  ].join('\n');

  it('accepts other durations, request IDs and an elided middle', () => {
    expect(
      outputDifferences(
        [
          '  PASS  assume-role  assumed something else (12 ms)',
          '…',
          '                 code:  VERSIONING_DISABLED',
          '                 request ID: other',
          'OK: 1 passed, 0 failed, 1 warnings, 0 skipped',
        ],
        actual,
      ),
    ).toEqual([]);
  });

  it('reports a check whose status differs, a missing check and a changed line', () => {
    expect(outputDifferences(['  PASS  versioning  x', '  PASS  list  y', 'OK: 2 passed, 0 failed, 0 warnings, 0 skipped', '    code:  NOT_ENCRYPTED'], actual)).toEqual([
      'check versioning: the docs show PASS, the run gave WARN',
      'check list: the docs show PASS, the run gave no such check',
      'shown line not in the output: OK: 2 passed, 0 failed, 0 warnings, 0 skipped',
      'shown line not in the output: code:  NOT_ENCRYPTED',
    ]);
  });

  it('masks times, UUIDs and verify timestamps, and column widths', () => {
    expect(normalizeLine('  wrote a/.ion-dest-verify-20261123T184034Z-a13f95ca-object.txt  version 272c6af9-1c09-48d7-97ab-ecbbfc08c540 (1.5 s)')).toBe(
      'wrote a/.ion-dest-verify-<timestamp>-object.txt version <uuid> (<time>)',
    );
  });
});
