// Flipt's Python client SDK (flipt-client, Flipt's own engine) in streaming mode: a change made
// through /api/v1 reaches `evaluate_variant` in the SDK through /client/v2/.../stream.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// The bound this suite states for change-to-SDK delay on one server (README, "Live changes").
const BOUND_MS = 1000;
const ROUNDS = 20;

test('the Python SDK in streaming mode sees each change within the bound', async ({ baseURL }) => {
  test.setTimeout(120_000);
  const python = process.env.E2E_PYTHON ?? 'python3';
  const output = execFileSync(python, [join(__dirname, 'python_stream.py'), baseURL!, String(ROUNDS)], {
    encoding: 'utf8',
    timeout: 110_000,
  });
  const result = JSON.parse(output);
  console.log(
    `flipt-client streaming: ${result.observed}/${result.rounds} changes seen, p50 ${result.p50_ms} ms, max ${result.max_ms} ms`,
  );
  expect(result.observed).toBe(ROUNDS);
  expect(result.max_ms).toBeLessThan(BOUND_MS);
});
