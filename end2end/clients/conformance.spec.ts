// Conformance against Flipt's own Rust engine (PyPI flipt-client 1.4.5): for generated
// namespaces, the engine evaluating our snapshot and our /evaluate/v1 endpoints must agree on
// every request.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

test('Flipt\'s engine reading our snapshot agrees with our evaluation API', async ({ baseURL }) => {
  test.setTimeout(180_000);
  const python = process.env.E2E_PYTHON ?? 'python3';
  const seed = process.env.E2E_CONFORMANCE_SEED ?? String(Date.now() % 100_000);
  const output = execFileSync(python, [join(__dirname, 'conformance.py'), baseURL!, seed, '25', '40'], {
    encoding: 'utf8',
    timeout: 170_000,
  });
  const result = JSON.parse(output);
  console.log(`conformance seed ${seed}: ${result.compared} requests, ${result.disagreements} disagreements`);
  expect(result.compared).toBeGreaterThan(2000);
  expect(result.examples).toEqual([]);
  expect(result.disagreements).toBe(0);
});
