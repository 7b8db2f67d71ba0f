// The management API driven by curl, as a script would: nothing is lost by a rename.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ns = `curl-${Date.now()}`;

test('a curl session creates everything, renames the namespace and reads it all back', async ({ baseURL }) => {
  const output = execFileSync('bash', [join(__dirname, 'curl_roundtrip.sh'), baseURL!, ns], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const seen = JSON.parse(output);
  expect(seen.namespace).toMatchObject({ key: ns, name: 'Payments (renamed)', description: 'after', version: 2 });
  expect(seen.flag.variants.map((v: { key: string }) => v.key)).toEqual(['blue', 'green']);
  expect(seen.flag.variants[0].attachment).toBe('{"c":1}');
  expect(seen.segment.constraints).toHaveLength(1);
  expect(seen.segment.constraints[0]).toMatchObject({ property: 'plan', operator: 'eq', value: 'pro' });
  expect(seen.rules.rules).toHaveLength(1);
  expect(seen.rules.rules[0].segmentKey).toBe('beta');
  expect(seen.rules.rules[0].distributions.map((d: { rollout: number }) => d.rollout)).toEqual([50, 50]);
});
