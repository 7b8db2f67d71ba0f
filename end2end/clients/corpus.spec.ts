// Flipt's public test corpus as golden data: its features.yml, loaded through our management
// API, must give every answer its tests.json expects (timing and ids aside).
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const corpus = join(__dirname, 'testdata/flipt-test-corpus');

const VARYING = new Set(['timestamp', 'requestId', 'requestDurationMillis']);

/** The fields the expectation states (less those that vary per call), segment keys as a set. */
function comparable(answer: Record<string, unknown>, expected: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(expected).filter((k) => !VARYING.has(k))) {
    out[key] = key === 'segmentKeys' ? [...((answer[key] as string[]) ?? [])].sort() : answer[key];
  }
  return out;
}

test('Flipt\'s test corpus passes', async ({ request, baseURL }) => {
  const python = process.env.E2E_PYTHON ?? 'python3';
  const existing = await (await request.get('/api/v1/flags?limit=1')).json();
  expect(existing.totalCount, 'the corpus loads into an empty default namespace').toBe(0);
  execFileSync(python, [join(__dirname, 'load_features.py'), baseURL!, join(corpus, 'features.yml')], { timeout: 60_000 });

  const cases = JSON.parse(readFileSync(join(corpus, 'tests.json'), 'utf8'));
  let checked = 0;
  for (const [kind, path] of [['VARIANT', 'variant'], ['BOOLEAN', 'boolean']] as const) {
    for (const { request: body, expectation } of cases[kind]) {
      const answer = await (await request.post(`/evaluate/v1/${path}`, { data: body })).json();
      expect(comparable(answer, expectation), `${kind} ${body.flag_key}`).toEqual(comparable(expectation, expectation));
      checked++;
    }
  }
  for (const { request: requests, expectation } of cases.BATCH) {
    const answer = await (await request.post('/evaluate/v1/batch', { data: { requests } })).json();
    expect(answer.responses.length).toBe(expectation.responses.length);
    answer.responses.forEach((item: Record<string, any>, i: number) => {
      const expected = expectation.responses[i];
      expect(item.type).toBe(expected.type);
      for (const field of ['variantResponse', 'booleanResponse']) {
        if (!expected[field]) continue;
        // The corpus' batch asks for `flag_boolean` but labels the expected answer
        // `flag_boolean_no_constraints`; the flag key is checked against the request instead.
        const { flagKey, ...rest } = expected[field];
        expect(item[field].flagKey).toBe(requests[i].flag_key);
        expect(comparable(item[field], rest)).toEqual(comparable(rest, rest));
      }
    });
    checked++;
  }
  expect(checked).toBe(8);
});
