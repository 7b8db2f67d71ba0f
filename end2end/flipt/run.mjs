// Flipt v1.61.1's integration suites (build/testing/integration/, ported in ./suites; see
// README.md) against the Vexil server binary, each suite on a fresh server:
//   node end2end/flipt/run.mjs SERVER_BINARY sqlite|postgres [suite ...]
// Prints Go-style results with Flipt's test names and one summary line per suite; exits 1 when
// any assertion failed.
import { Suite, runTest } from './harness.mjs';
import { startServer } from './server.mjs';

const [bin, backend = 'sqlite', ...only] = process.argv.slice(2);
if (!bin || !['sqlite', 'postgres'].includes(backend)) {
  console.error('usage: node end2end/flipt/run.mjs SERVER_BINARY sqlite|postgres [suite ...]');
  process.exit(2);
}

const SUITES = ['api', 'authn', 'authz', 'readonly', 'snapshot', 'ofrep'];
const chosen = only.length ? only : SUITES;
const summaries = [];
let failed = false;
for (const name of chosen) {
  const mod = await import(`./suites/${name}.mjs`);
  const suite = new Suite(name);
  const env = mod.prepare ? await mod.prepare() : {};
  const server = await startServer(bin, backend, name, env);
  console.log(`\n=== ${name} (${backend}, ${server.url})`);
  try {
    if (mod.setup) await mod.setup(server);
    await runTest(suite, mod.testName, (t) => mod.default(t, server));
  } finally {
    if (suite.failedTests.length) {
      console.log(`--- server log (${name}, ${backend}) ---\n${server.log()}`);
    }
    await server.stop();
    if (mod.teardown) await mod.teardown();
  }
  if (suite.failedTests.length) failed = true;
  for (const d of suite.divergences) console.log(`divergence: ${d}`);
  for (const [reason, n] of suite.skipReasons) console.log(`skipped (${n}×): ${reason}`);
  summaries.push(suite.summary());
}
console.log(`\nFlipt v1.61.1 integration suites on ${backend}:`);
for (const line of summaries) console.log(`  ${line}`);
process.exit(failed ? 1 : 0);
