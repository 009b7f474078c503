/**
 * The `ion-dest` program run from the TypeScript sources (through tsx), so the tests need no
 * build: bin/ion-dest.mjs runs the compiled dist/ instead, and test/package/ runs that from
 * the packed tarball.
 */
const { main } = await import('../../cli/main.js');
process.exitCode = await main(process.argv.slice(2));
