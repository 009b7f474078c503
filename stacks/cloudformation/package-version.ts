import { readFileSync } from 'node:fs';

/** The toolkit's version, from package.json: it names the published template's key and appears in the template. */
export function readPackageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
