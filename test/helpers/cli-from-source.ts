/**
 * The `ion-dest` program run from the TypeScript sources (through tsx), so the tests need no
 * build: bin/ion-dest.mjs runs the compiled dist/ instead, and test/package/ runs that from
 * the packed tarball. Same environment as the bin.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../../cli/main.js');
process.exitCode = await main(process.argv.slice(2));
