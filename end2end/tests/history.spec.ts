// History and snapshots in the dashboard: a deleted namespace comes back from its automatic
// snapshot and evaluates as before; the history shows what changed, field by field.
import { test, expect } from './fixtures';
import type { APIRequestContext } from '@playwright/test';

async function seed(request: APIRequestContext, ns: string) {
  const post = async (path: string, data: object) => {
    const response = await request.post(path, { data });
    expect(response.status(), await response.text()).toBe(200);
    return response.json();
  };
  const base = `/api/v1/namespaces/${ns}`;
  await post('/api/v1/namespaces', { key: ns, name: 'Before' });
  await post(`${base}/segments`, { key: 'pro', name: 'Pro' });
  await post(`${base}/segments/pro/constraints`, { type: 'STRING_COMPARISON_TYPE', property: 'plan', operator: 'eq', value: 'pro' });
  await post(`${base}/flags`, { key: 'checkout', name: 'Checkout', enabled: true });
  const blue = await post(`${base}/flags/checkout/variants`, { key: 'blue' });
  const green = await post(`${base}/flags/checkout/variants`, { key: 'green' });
  const rule = await post(`${base}/flags/checkout/rules`, { segmentKey: 'pro', rank: 1 });
  await post(`${base}/flags/checkout/rules/${rule.id}/distributions`, { variantId: blue.id, rollout: 50 });
  await post(`${base}/flags/checkout/rules/${rule.id}/distributions`, { variantId: green.id, rollout: 50 });
  await post(`${base}/flags`, { key: 'dark-mode', name: 'Dark mode', type: 'BOOLEAN_FLAG_TYPE', enabled: true });
}

async function answers(request: APIRequestContext, ns: string) {
  const out: string[] = [];
  for (const entityId of ['u1', 'u2', 'u3', 'u4', 'u5']) {
    const variant = await (await request.post('/evaluate/v1/variant', {
      data: { namespaceKey: ns, flagKey: 'checkout', entityId, context: { plan: 'pro' } },
    })).json();
    out.push(`${variant.reason}:${variant.variantKey}`);
  }
  const boolean = await (await request.post('/evaluate/v1/boolean', { data: { namespaceKey: ns, flagKey: 'dark-mode', entityId: 'u1' } })).json();
  out.push(`${boolean.reason}:${boolean.enabled}`);
  return out;
}

test('a namespace deleted in the dashboard comes back from its automatic snapshot', async ({ page, request }, info) => {
  const ns = `restore-${info.project.name}-${Date.now()}`;
  await seed(request, ns);
  const before = await answers(request, ns);
  const flagsBefore = await (await request.get(`/api/v1/namespaces/${ns}/flags`)).json();

  await page.goto('/settings/namespaces');
  const card = page.getByTestId(`namespace-${ns}`);
  await card.getByText('Delete…').click();
  await card.getByLabel('I understand').check();
  await card.getByRole('button', { name: 'Delete namespace' }).click();
  await expect(card).toHaveCount(0);
  expect((await request.get(`/api/v1/namespaces/${ns}`)).status()).toBe(404);

  await page.goto('/settings/snapshots');
  const saved = page.locator('article').filter({ hasText: ns }).filter({ hasText: 'before namespace delete' });
  await expect(saved).toHaveCount(1);
  await saved.getByText('Restore…').click();
  await saved.getByLabel('I understand').check();
  await saved.getByRole('button', { name: 'Restore this snapshot' }).click();
  await expect(async () => {
    expect((await request.get(`/api/v1/namespaces/${ns}`)).status()).toBe(200);
  }).toPass({ timeout: 10_000 });

  const flagsAfter = await (await request.get(`/api/v1/namespaces/${ns}/flags`)).json();
  expect(flagsAfter.flags.map((f: { key: string }) => f.key)).toEqual(flagsBefore.flags.map((f: { key: string }) => f.key));
  expect(await answers(request, ns)).toEqual(before);
});

test('the history shows each change as a readable diff, per namespace and per object', async ({ page, request }, info) => {
  const ns = `history-${info.project.name}-${Date.now()}`;
  await seed(request, ns);
  expect((await request.put(`/api/v1/namespaces/${ns}`, { data: { name: 'After', description: '' } })).status()).toBe(200);
  expect((await request.put(`/api/v1/namespaces/${ns}/flags/checkout`, { data: { name: 'Checkout v2', enabled: false } })).status()).toBe(200);

  await page.goto(`/namespaces/${ns}/history`);
  const history = page.getByTestId('history');
  await expect(history).toContainText('name: "Before" → "After"');
  await expect(history).toContainText('enabled: true → false');
  await expect(history).toContainText('created "Checkout"');

  await history.getByRole('link', { name: 'checkout' }).first().click();
  await expect(page).toHaveURL(/resource=flag&key=checkout/);
  await expect(page.getByTestId('history').getByRole('row')).toHaveCount(3); // header, created, updated
});
