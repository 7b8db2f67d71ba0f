// Flipt's own SDKs evaluating flags on Vexil: the Node SDK, the Python SDK, and an OpenFeature
// provider speaking OFREP.
import { test, expect, APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ClientTokenAuthentication, FliptClient } from '@flipt-io/flipt';
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';

const ns = `eval-${Date.now()}`;

async function seed(request: APIRequestContext) {
  const post = async (path: string, data: object) => {
    const response = await request.post(path, { data });
    expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
    return response.json();
  };
  const base = `/api/v1/namespaces/${ns}`;
  await post('/api/v1/namespaces', { key: ns, name: 'Evaluation clients' });
  await post(`${base}/segments`, { key: 'pro', name: 'Pro' });
  await post(`${base}/segments/pro/constraints`, { type: 'STRING_COMPARISON_TYPE', property: 'plan', operator: 'eq', value: 'pro' });
  await post(`${base}/flags`, { key: 'checkout', name: 'Checkout', enabled: true });
  const blue = await post(`${base}/flags/checkout/variants`, { key: 'blue', attachment: '{"color":"blue"}' });
  const rule = await post(`${base}/flags/checkout/rules`, { segmentKey: 'pro', rank: 1 });
  await post(`${base}/flags/checkout/rules/${rule.id}/distributions`, { variantId: blue.id, rollout: 100 });
  await post(`${base}/flags`, { key: 'dark-mode', name: 'Dark mode', type: 'BOOLEAN_FLAG_TYPE', enabled: true });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  await seed(request);
});

test('the Node SDK evaluates variant, boolean and batch requests', async ({ baseURL }) => {
  const client = new FliptClient({ url: baseURL, authenticationStrategy: new ClientTokenAuthentication(process.env.E2E_TOKEN!) });
  const variant = await client.evaluation.variant({ namespaceKey: ns, flagKey: 'checkout', entityId: 'u1', context: { plan: 'pro' } });
  expect([variant.match, variant.variantKey, variant.reason, variant.variantAttachment]).toEqual([
    true, 'blue', 'MATCH_EVALUATION_REASON', '{"color":"blue"}',
  ]);
  const boolean = await client.evaluation.boolean({ namespaceKey: ns, flagKey: 'dark-mode', entityId: 'u1', context: {} });
  expect([boolean.enabled, boolean.reason]).toEqual([true, 'DEFAULT_EVALUATION_REASON']);
  const batch = await client.evaluation.batch({
    requests: [
      { namespaceKey: ns, flagKey: 'checkout', entityId: 'u1', context: { plan: 'free' } },
      { namespaceKey: ns, flagKey: 'missing', entityId: 'u1', context: {} },
    ],
  });
  expect(batch.responses.map((r) => r.type)).toEqual(['VARIANT_EVALUATION_RESPONSE_TYPE', 'ERROR_EVALUATION_RESPONSE_TYPE']);
  expect(batch.responses[0].variantResponse?.match).toBe(false);
  expect(batch.responses[1].errorResponse?.reason).toBe('NOT_FOUND_ERROR_EVALUATION_REASON');
});

test('the Python SDK evaluates variant, boolean and batch requests', async ({ baseURL }) => {
  const python = process.env.E2E_PYTHON ?? 'python3';
  const output = execFileSync(python, [join(__dirname, 'python_evaluate.py'), baseURL!, ns], { encoding: 'utf8', timeout: 30_000 });
  expect(JSON.parse(output)).toEqual({
    variant: [true, 'blue', 'MATCH_EVALUATION_REASON', ['pro']],
    default: [false, '', 'UNKNOWN_EVALUATION_REASON'],
    boolean: [true, 'DEFAULT_EVALUATION_REASON'],
    batch: ['VARIANT_EVALUATION_RESPONSE_TYPE', 'BOOLEAN_EVALUATION_RESPONSE_TYPE'],
  });
});

test('an OpenFeature OFREP provider evaluates flags', async ({ baseURL }) => {
  await OpenFeature.setProviderAndWait(new OFREPProvider({ baseUrl: baseURL!, headers: { 'X-Flipt-Namespace': ns, Authorization: `Bearer ${process.env.E2E_TOKEN}` } }));
  const client = OpenFeature.getClient();
  const pro = await client.getStringDetails('checkout', 'fallback', { targetingKey: 'u1', plan: 'pro' });
  expect([pro.value, pro.variant, pro.reason]).toEqual(['blue', 'blue', 'TARGETING_MATCH']);
  expect(pro.flagMetadata).toMatchObject({ segments: 'pro', attachment: '{"color":"blue"}' });
  const dark = await client.getBooleanDetails('dark-mode', false, { targetingKey: 'u1' });
  expect([dark.value, dark.reason]).toEqual([true, 'DEFAULT']);
  const missing = await client.getBooleanDetails('missing', false, { targetingKey: 'u1' });
  expect([missing.value, missing.errorCode]).toEqual([false, 'FLAG_NOT_FOUND']);
  await OpenFeature.close();
});
