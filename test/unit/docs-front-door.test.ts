import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * README.md is the front door: short, linking every page of docs/, and every relative
 * link in README.md and docs/ leads to a file (and, with a `#fragment`, to a heading of
 * it). The examples themselves are run by test/docs/.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The most README.md may weigh, in bytes: what it is, for whom, two commands, one example per user, links. */
const README_MAX_BYTES = 15_000;

const README = join(ROOT, 'README.md');
const DOCS = join(ROOT, 'docs');
const DOC_PAGES = readdirSync(DOCS)
  .filter((f) => f.endsWith('.md'))
  .map((f) => join(DOCS, f));

/** The text outside fenced code blocks, line numbers kept (fenced lines blanked). */
function outsideFences(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const open = /^\s*(`{3,}|~{3,})/.exec(line);
      if (fence === undefined && open) {
        fence = open[1]!;
        return '';
      }
      if (fence !== undefined) {
        if (line.trimStart().startsWith(fence)) fence = undefined;
        return '';
      }
      return line;
    })
    .join('\n');
}

/** Targets of inline Markdown links `[text](target)`, outside fenced blocks and inline code. */
export function linkTargets(markdown: string): string[] {
  const text = outsideFences(markdown).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/**
 * The anchor GitHub gives a heading: its text without Markdown (links keep their text,
 * code spans their content), lower-cased, every character that is not a letter, digit,
 * space, `-` or `_` dropped, each space made a `-`. A repeated heading gets `-1`, `-2`, …
 */
export function headingAnchor(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor of a Markdown document's ATX headings (outside fenced blocks). */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of outsideFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = headingAnchor(m[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** The relative links of one file that lead nowhere, each with the reason. */
function brokenLinks(file: string): string[] {
  const problems: string[] = [];
  const name = relative(ROOT, file);
  for (const target of linkTargets(readFileSync(file, 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [path = '', fragment] = target.split('#') as [string, string | undefined];
    const destination = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    if (!destination.startsWith(ROOT)) {
      problems.push(`${name}: ${target} leaves the repository`);
      continue;
    }
    if (!existsSync(destination)) {
      problems.push(`${name}: ${target}: no file ${relative(ROOT, destination)}`);
      continue;
    }
    if (fragment !== undefined && fragment !== '' && statSync(destination).isFile() && destination.endsWith('.md')) {
      if (!anchorsOf(readFileSync(destination, 'utf8')).has(decodeURIComponent(fragment))) {
        problems.push(`${name}: ${target}: ${relative(ROOT, destination)} has no heading with the anchor #${fragment}`);
      }
    }
  }
  return problems;
}

describe('Markdown links and anchors (the rules the test below relies on)', () => {
  it.each([
    ['## Against real AWS', 'against-real-aws'],
    ["## The customer's admin: one-click CloudFormation", 'the-customers-admin-one-click-cloudformation'],
    ["## `--keep-running`: the world these docs' examples run in", '--keep-running-the-world-these-docs-examples-run-in'],
    ['## Rotating the external ID, with no failed delivery', 'rotating-the-external-id-with-no-failed-delivery'],
    ['## One moment in time: an exported snapshot shared by parallel readers', 'one-moment-in-time-an-exported-snapshot-shared-by-parallel-readers'],
    ['## See [the demo](docs/demo.md) first', 'see-the-demo-first'],
    ['## Delivery from PostgreSQL', 'delivery-from-postgresql'],
  ])('%s → #%s', (heading, anchor) => {
    expect(headingAnchor(heading.replace(/^#+\s+/, ''))).toBe(anchor);
  });

  it('numbers repeated headings and ignores headings inside fenced blocks', () => {
    expect([...anchorsOf('# A\n## B\n## B\n```bash\n# not a heading\n```\n')]).toEqual(['a', 'b', 'b-1']);
  });

  it('finds links outside code, with or without a title, and none inside fences or code spans', () => {
    const markdown = 'See [a](docs/a.md) and [b](docs/b.md#x "title"), `[c](docs/c.md)`.\n```text\n[d](docs/d.md)\n```\n';
    expect(linkTargets(markdown)).toEqual(['docs/a.md', 'docs/b.md#x']);
  });
});

describe('README.md is the front door', () => {
  const readme = readFileSync(README, 'utf8');

  it(`is at most ${README_MAX_BYTES} bytes`, () => {
    expect(Buffer.byteLength(readme, 'utf8')).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('links every page of docs/', () => {
    expect(DOC_PAGES.length).toBeGreaterThan(0);
    const linked = new Set(
      linkTargets(readme)
        .map((t) => t.split('#')[0]!)
        .filter((p) => p !== '')
        .map((p) => resolve(ROOT, p)),
    );
    const unlinked = DOC_PAGES.filter((page) => !linked.has(page)).map((page) => relative(ROOT, page));
    expect(unlinked, 'docs pages README.md does not link').toEqual([]);
  });

  it('every relative link of README.md and docs/*.md leads to a file, and a #fragment to a heading of it', () => {
    expect([README, ...DOC_PAGES].flatMap(brokenLinks)).toEqual([]);
  });
});
