// The console evaluates with the same engine and snapshot as /evaluate/v1, shows the whole
// answer and offers the request as curl.
import { test, expect } from './fixtures';
import { open, post, unique } from './helpers';

test('the console answers what the evaluation API answers', async ({ page, request }, info) => {
  const ns = unique('console', info);
  await post(request, '/api/v1/namespaces', { key: ns, name: ns });
  await post(request, `/api/v1/namespaces/${ns}/segments`, { key: 'pro', name: 'Pro' });
  await post(request, `/api/v1/namespaces/${ns}/segments/pro/constraints`, { type: 'STRING_COMPARISON_TYPE', property: 'plan', operator: 'eq', value: 'pro' });
  await post(request, `/api/v1/namespaces/${ns}/flags`, { key: 'color', name: 'Color', enabled: true });
  const blue = await post(request, `/api/v1/namespaces/${ns}/flags/color/variants`, { key: 'blue', attachment: '{"hex":"#00f"}' });
  const red = await post(request, `/api/v1/namespaces/${ns}/flags/color/variants`, { key: 'red' });
  const rule = await post(request, `/api/v1/namespaces/${ns}/flags/color/rules`, { segmentKey: 'pro', rank: 1 });
  await post(request, `/api/v1/namespaces/${ns}/flags/color/rules/${rule.id}/distributions`, { variantId: blue.id, rollout: 100 });
  await request.put(`/api/v1/namespaces/${ns}/flags/color`, { data: { name: 'Color', enabled: true, defaultVariantId: red.id } });

  await open(page, `/namespaces/${ns}/console`, info);
  await page.getByTestId('console-flag').fill('color');
  await page.getByTestId('entity-id').fill('user-1');
  await page.getByLabel('Context key 1').fill('plan');
  await page.getByLabel('Context value 1').fill('pro');
  await page.getByRole('button', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('console-headline')).toHaveText('variant blue');
  await expect(page).toHaveURL(/flag=color&entity=user-1&key1=plan&value1=pro/);
  for (const part of ['"flagKey":"color"', '"entityId":"user-1"', '"context":{"plan":"pro"}', `"namespaceKey":"${ns}"`]) {
    await expect(page.getByTestId('curl')).toContainText(part);
  }
  await expect(page.getByTestId('console-reason')).toHaveText('MATCH_EVALUATION_REASON');
  await expect(page.getByTestId('console-result')).toContainText('"variantAttachment": "{\\"hex\\":\\"#00f\\"}"');
  const api = await (await request.post('/evaluate/v1/variant', { data: { namespaceKey: ns, flagKey: 'color', entityId: 'user-1', context: { plan: 'pro' } } })).json();
  expect([api.variantKey, api.reason]).toEqual(['blue', 'MATCH_EVALUATION_REASON']);

  await page.getByLabel('Context value 1').fill('free');
  await page.getByRole('button', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('console-headline')).toHaveText('variant red');
  await expect(page.getByTestId('console-reason')).toHaveText('DEFAULT_EVALUATION_REASON');
});

test('@hydrated the console generates entity ids and copies the curl command', async ({ page, context }, info) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page, '/namespaces/default/console', info);
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('entity-id')).toHaveValue(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  await page.getByTestId('console-flag').fill('some-flag');
  await page.getByTestId('copy-curl').click();
  await expect(page.getByTestId('copy-curl')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`curl -s -X POST '${new URL(page.url()).origin}/evaluate/v1/variant'`);
  expect(copied).toContain('"flagKey":"some-flag"');
});

test.describe('unknown namespaces', () => {
  test.use({ expectedFailures: [/\b404\b/] });

  test('the console says at once that a namespace does not exist', async ({ page }, info) => {
    await open(page, '/namespaces/no-such-namespace/console', info);
    await expect(page.getByRole('alert')).toContainText('namespace "no-such-namespace" not found');
  });
});
