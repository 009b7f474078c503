/**
 * Reads the commands out of a Markdown page's fenced code blocks (README.md and
 * docs/*.md), wherever they are (no dependence on headings or section order).
 *
 * Convention (also stated in docs/contributing.md):
 * - ```bash / ```sh / ```shell: every line is a command; `\` continuations are
 *   joined, `#` comment lines and trailing ` # comments` are dropped, `a && b` is
 *   two commands, `cat > FILE <<'EOF' … EOF` is one command with its here-document.
 * - ```console / ```text: a line starting with `$ ` is a command, and the lines after
 *   it, up to the next `$ ` line or the end of the block, are its shown output.
 *   Text blocks with no `$ ` line are illustrations, not commands.
 * - Optional parts in square brackets (`[--json]`) are run both ways: without any of
 *   them and with all of them.
 * - HTML comments on the lines just before a block say how its commands run:
 *   `<!-- expect-exit: 1 -->` (default 0), `<!-- real-aws -->` (needs real AWS:
 *   checked, not run), `<!-- needs: postgres -->` (needs a PostgreSQL server).
 */

import { parse } from 'shell-quote';

/** Fence languages whose every line is a shell command. */
export const SCRIPT_LANGUAGES: readonly string[] = ['bash', 'sh', 'shell'];
/** Fence languages where only `$ ` lines are commands and the rest is their output. */
export const TRANSCRIPT_LANGUAGES: readonly string[] = ['console', 'text'];
/** The shell prompt that marks a command inside a transcript block. */
const PROMPT = '$ ';

export interface FencedBlock {
  /** The page it is on, as a path from the repository's root: `README.md`, `docs/deliver.md`. */
  page: string;
  lang: string;
  /** 1-based line of the opening fence in its page. */
  line: number;
  body: string[];
  /** `<!-- key: value -->` and `<!-- key -->` (value '') comments on the lines just above the fence. */
  markers: Record<string, string>;
}

export interface DocCommand {
  /** The command as written (continuations joined, here-document excluded). */
  text: string;
  /** Shell words, quotes removed; `NAME=value` prefixes are in `env`. */
  argv: string[];
  env: Record<string, string>;
  /** Body of a `<<'EOF'` here-document, if any. */
  heredoc?: string;
  /** The word that ends the here-document (`EOF`). */
  heredocEnd?: string;
  /** The whole `a && b` chain this command belongs to, as written. */
  chain: string;
  /** Output shown under a transcript command. */
  shownOutput?: string[];
  block: FencedBlock;
}

/** Every fenced block of a Markdown page, with the markers above it. */
export function parseFencedBlocks(markdown: string, page = 'README.md'): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trimStart().startsWith(fence)) body.push(lines[j++]!);
    blocks.push({ page, lang: open[3]!.toLowerCase(), line: i + 1, body, markers: markersAbove(lines, i) });
    i = j;
  }
  return blocks;
}

function markersAbove(lines: readonly string[], fenceIndex: number): Record<string, string> {
  const markers: Record<string, string> = {};
  let k = fenceIndex - 1;
  while (k >= 0 && lines[k]!.trim() === '') k--;
  for (; k >= 0; k--) {
    const m = /^\s*<!--\s*([a-z-]+)(?::\s*(.*?))?\s*-->\s*$/.exec(lines[k]!);
    if (!m) break;
    markers[m[1]!] ??= m[2] ?? '';
  }
  return markers;
}

/**
 * Shell words, quotes removed and nothing expanded (`$NAME` stays as written), through
 * shell-quote's parser; an operator (`>`, `|`, `<<`) is a word of its own, a glob is kept as
 * written and a trailing comment is dropped.
 */
export function splitWords(text: string): string[] {
  return parse(text, (name) => `$${name}`).flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    if ('comment' in entry) return [];
    return [entry.op === 'glob' ? entry.pattern : entry.op];
  });
}

/** Indices of `text` outside single and double quotes. */
function* unquotedIndices(text: string): Generator<number> {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else {
      yield i;
    }
  }
}

/** Drop a trailing ` # comment` that is outside quotes. */
function stripTrailingComment(line: string): string {
  for (const i of unquotedIndices(line)) {
    if (line[i] === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line;
}

/** Split `a && b` outside quotes, keeping each part as written (it is run as written). */
function splitChain(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const i of unquotedIndices(text)) {
    if (i >= start && text.startsWith('&&', i)) {
      parts.push(text.slice(start, i).trim());
      start = i + 2;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** Join `\` continuation lines starting at `lines[i]`; returns the text and the next index. */
function joinContinuations(lines: readonly string[], i: number): { text: string; next: number } {
  let text = lines[i]!;
  let j = i + 1;
  while (/\\\s*$/.test(text) && j < lines.length) text = `${text.replace(/\\\s*$/, '')} ${lines[j++]!.trim()}`;
  return { text: text.trim(), next: j };
}

function commandsOf(text: string, block: FencedBlock, heredoc?: { body: string; end: string }, shownOutput?: string[]): DocCommand[] {
  const chain = stripTrailingComment(text);
  return splitChain(chain).map((part, index, all) => {
    const words = splitWords(part.replace(/<<-?\s*'?(\w+)'?\s*$/, ''));
    const env: Record<string, string> = {};
    while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
      const [name, ...value] = words.shift()!.split('=');
      env[name!] = value.join('=');
    }
    return {
      text: part,
      argv: words,
      env,
      chain,
      block,
      ...(heredoc !== undefined && index === all.length - 1 ? { heredoc: heredoc.body, heredocEnd: heredoc.end } : {}),
      ...(shownOutput !== undefined && index === all.length - 1 ? { shownOutput } : {}),
    };
  });
}

/** The commands of one block, following the convention above. */
export function extractCommands(block: FencedBlock): DocCommand[] {
  const commands: DocCommand[] = [];
  const lines = block.body;
  if (SCRIPT_LANGUAGES.includes(block.lang)) {
    for (let i = 0; i < lines.length; ) {
      const line = lines[i]!;
      if (line.trim() === '' || line.trimStart().startsWith('#')) {
        i++;
        continue;
      }
      const { text, next } = joinContinuations(lines, i);
      i = next;
      const here = /<<-?\s*'?(\w+)'?\s*$/.exec(text);
      let heredoc: { body: string; end: string } | undefined;
      if (here) {
        const end = lines.findIndex((l, k) => k >= i && l.trim() === here[1]);
        if (end < 0) throw new Error(`${block.page} line ${block.line}: here-document ${here[1]} is not closed`);
        heredoc = { body: lines.slice(i, end).join('\n'), end: here[1]! };
        i = end + 1;
      }
      commands.push(...commandsOf(text, block, heredoc));
    }
  } else if (TRANSCRIPT_LANGUAGES.includes(block.lang)) {
    for (let i = 0; i < lines.length; ) {
      if (!lines[i]!.startsWith(PROMPT)) {
        i++;
        continue;
      }
      const { text, next } = joinContinuations([lines[i]!.slice(PROMPT.length), ...lines.slice(i + 1)], 0);
      let j = i + next;
      const output: string[] = [];
      while (j < lines.length && !lines[j]!.startsWith(PROMPT)) output.push(lines[j++]!);
      commands.push(...commandsOf(text, block, undefined, output));
      i = j;
    }
  }
  return commands;
}

/**
 * The variants a command with `[optional parts]` stands for: none of them, and all of
 * them (brackets removed). A command with none is its own single variant.
 */
export function optionalVariants(argv: readonly string[]): string[][] {
  if (!argv.some((w) => w.startsWith('[') || w.endsWith(']'))) return [[...argv]];
  const without: string[] = [];
  const withAll: string[] = [];
  let depth = 0;
  for (const word of argv) {
    const opens = word.startsWith('[');
    const bare = word.replace(/^\[/, '').replace(/\]$/, '');
    if (opens) depth++;
    if (depth === 0) without.push(bare);
    withAll.push(bare);
    if (word.endsWith(']')) depth--;
  }
  return [without, withAll];
}

/** Words that start an `ion-dest` invocation, and how many of them there are. */
export function ionDestPrefixLength(argv: readonly string[]): number {
  if (argv[0] === 'ion-dest') return 1;
  if (argv[0] === 'npx' && argv[1] === '--no-install' && argv[2] === 'ion-dest') return 3;
  return 0;
}

/** The `--flag` names (without `--`, `=value` removed) in a list of words. */
export function flagsOf(words: readonly string[]): string[] {
  return words.filter((w) => /^--[a-z]/.test(w)).map((w) => w.slice(2).split('=')[0]!);
}

/** The command path before the first flag: `policy trust`, `verify`. */
export function commandPath(args: readonly string[]): string[] {
  const path: string[] = [];
  for (const word of args) {
    if (word.startsWith('-') || word.startsWith('[') || word.startsWith('<')) break;
    path.push(word);
  }
  return path;
}
