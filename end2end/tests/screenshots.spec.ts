// The README's screenshots, taken from a seeded namespace on every run (JavaScript on only).
// They land in the test's output directory; E2E_UPDATE_SCREENSHOTS=1 writes the tracked copies
// the README shows, so an ordinary run leaves tracked files as they were.
import { test, expect } from './fixtures';
import { join } from 'node:path';
import { disclose, open, post } from './helpers';

const tracked = join(__dirname, '..', 'screenshots');

test('@hydrated screenshots of the main pages', async ({ page, request }, info) => {
  const shots = process.env.E2E_UPDATE_SCREENSHOTS ? tracked : info.outputPath();
  test.skip(info.project.name !== 'js-enabled', 'taken once, with JavaScript');
  await page.setViewportSize({ width: 1280, height: 900 });
  const ns = `tour-${Date.now() % 100000}`;
  await post(request, '/api/v1/namespaces', { key: ns, name: 'Storefront', description: 'The web shop' });
  await post(request, `/api/v1/namespaces/${ns}/segments`, { key: 'beta-testers', name: 'Beta testers', matchType: 'ANY_MATCH_TYPE' });
  await post(request, `/api/v1/namespaces/${ns}/segments/beta-testers/constraints`, { type: 'STRING_COMPARISON_TYPE', property: 'plan', operator: 'isoneof', value: '["pro","enterprise"]' });
  await post(request, `/api/v1/namespaces/${ns}/segments/beta-testers/constraints`, { type: 'DATETIME_COMPARISON_TYPE', property: 'signed_up', operator: 'gt', value: '2026-01-01T00:00:00Z' });
  await post(request, `/api/v1/namespaces/${ns}/segments/beta-testers/constraints`, { type: 'NUMBER_COMPARISON_TYPE', property: 'orders', operator: 'gte', value: '3' });
  const flags: [string, string, string, boolean][] = [
    ['checkout-redesign', 'Checkout redesign', 'VARIANT_FLAG_TYPE', true],
    ['dark-mode', 'Dark mode', 'BOOLEAN_FLAG_TYPE', true],
    ['free-shipping', 'Free shipping banner', 'BOOLEAN_FLAG_TYPE', false],
    ['recommendations', 'Recommendation model', 'VARIANT_FLAG_TYPE', true],
    ['search-v2', 'Search v2', 'VARIANT_FLAG_TYPE', false],
  ];
  for (const [key, name, type, enabled] of flags) await post(request, `/api/v1/namespaces/${ns}/flags`, { key, name, type, enabled, description: `${name} for the web shop` });
  const ids: string[] = [];
  for (const key of ['control', 'one-page', 'two-step']) {
    ids.push((await post(request, `/api/v1/namespaces/${ns}/flags/checkout-redesign/variants`, { key, name: key, attachment: `{"layout":"${key}"}` })).id);
  }
  const rule = await post(request, `/api/v1/namespaces/${ns}/flags/checkout-redesign/rules`, { segmentKey: 'beta-testers', rank: 1 });
  for (const [i, share] of [34, 33, 33].entries()) {
    await post(request, `/api/v1/namespaces/${ns}/flags/checkout-redesign/rules/${rule.id}/distributions`, { variantId: ids[i], rollout: share });
  }
  await request.put(`/api/v1/namespaces/${ns}/flags/checkout-redesign`, { data: { name: 'Checkout redesign', enabled: true, description: 'Checkout redesign for the web shop', defaultVariantId: ids[0] } });
  await post(request, `/api/v1/namespaces/${ns}/flags/dark-mode/rollouts`, { rank: 1, segment: { segmentKey: 'beta-testers', value: true } });
  await post(request, `/api/v1/namespaces/${ns}/flags/dark-mode/rollouts`, { rank: 2, threshold: { percentage: 25, value: true } });

  await open(page, `/namespaces/${ns}/flags`, info);
  await page.screenshot({ path: join(shots, 'flags.png') });
  await open(page, `/namespaces/${ns}/flags/checkout-redesign`, info);
  await disclose(page.getByTestId('rules'), 'Add rule');
  await page.screenshot({ path: join(shots, 'flag.png'), fullPage: true });
  await open(page, `/namespaces/${ns}/segments/beta-testers`, info);
  const add = await disclose(page.getByTestId('constraints'), 'Add constraint');
  await add.getByLabel('Operator').selectOption('isoneof');
  await add.getByLabel('Add a value').fill('de');
  await add.getByLabel('Add a value').press('Enter');
  await page.screenshot({ path: join(shots, 'segment.png'), fullPage: true });
  await open(page, `/namespaces/${ns}/console?flag=checkout-redesign&entity=user-42&key1=plan&value1=pro&key2=signed_up&value2=2026-03-01T00:00:00Z&key3=orders&value3=5`, info);
  await expect(page.getByTestId('console-headline')).toHaveText(/variant /);
  await page.screenshot({ path: join(shots, 'console.png'), fullPage: true });
  await open(page, '/settings/namespaces', info);
  await page.screenshot({ path: join(shots, 'settings.png') });
});
