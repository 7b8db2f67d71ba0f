// The flag page: variants, rules with distributions, the default variant, rollouts, the
// enabled toggle, copying and deleting, each with and without JavaScript; bad input is
// explained beside its field and stores nothing.
import { test, expect } from './fixtures';
import type { APIRequestContext, Page } from '@playwright/test';
import { confirmDelete, disclose, flagOf, open, post, rolloutsOf, rulesOf, unique } from './helpers';

async function namespaceWith(request: APIRequestContext, ns: string, flags: object[], segments: string[] = []) {
  await post(request, '/api/v1/namespaces', { key: ns, name: ns });
  for (const flag of flags) await post(request, `/api/v1/namespaces/${ns}/flags`, flag);
  for (const segment of segments) await post(request, `/api/v1/namespaces/${ns}/segments`, { key: segment, name: segment.toUpperCase() });
}

const section = (page: Page, id: string) => page.getByTestId(id);

test('variants are added, edited and deleted after confirmation', async ({ page, request }, info) => {
  const ns = unique('variants', info);
  await namespaceWith(request, ns, [{ key: 'checkout', name: 'Checkout', enabled: true }]);
  await open(page, `/namespaces/${ns}/flags/checkout`, info);
  const variants = section(page, 'variants');
  for (const [key, attachment] of [['blue', '{"color": "blue"}'], ['green', '']]) {
    const add = await disclose(variants, 'Add variant');
    await add.getByLabel('Key').fill(key);
    await add.getByLabel('Name').fill(key.toUpperCase());
    await add.getByLabel('Attachment (JSON, optional)').fill(attachment);
    await add.getByRole('button', { name: 'Add variant' }).click();
    await expect(variants.locator(`[data-variant="${key}"]`)).toBeVisible();
  }
  expect((await flagOf(request, ns, 'checkout')).variants.map((v: { attachment: string }) => v.attachment)).toEqual(['{"color":"blue"}', '']);

  const blue = variants.locator('[data-variant="blue"]');
  const edit = await disclose(blue, 'Edit');
  await edit.getByLabel('Name').fill('Bright blue');
  await edit.getByRole('button', { name: 'Save variant' }).click();
  await expect(variants.locator('[data-variant="blue"]')).toContainText('Bright blue');

  await confirmDelete(variants.locator('[data-variant="green"]'), 'Delete variant');
  await expect(variants.locator('[data-variant="green"]')).toHaveCount(0);
  const stored = await flagOf(request, ns, 'checkout');
  expect(stored.variants.map((v: { key: string; name: string }) => [v.key, v.name])).toEqual([['blue', 'Bright blue']]);
});

test.describe('bad input', () => {
  test.use({ expectedFailures: [/\b400\b/] });

  test('a broken JSON attachment is explained beside the field and nothing is stored', async ({ page, request }, info) => {
    const ns = unique('badjson', info);
    await namespaceWith(request, ns, [{ key: 'checkout', name: 'Checkout' }]);
    await open(page, `/namespaces/${ns}/flags/checkout`, info);
    const add = await disclose(section(page, 'variants'), 'Add variant');
    await add.getByLabel('Key').fill('broken');
    await add.getByLabel('Attachment (JSON, optional)').fill('{"color": }');
    if (info.project.name === 'js-enabled') {
      // The editor checks as one types, before anything is sent.
      await expect(add.getByTestId('json-verdict')).toContainText('Not valid JSON: expected value at line 1 column 11');
    }
    await add.getByRole('button', { name: 'Add variant' }).click();
    const error = section(page, 'variants').locator('[data-field-error="attachment"]').first();
    await expect(error).toContainText('invalid field attachment: must be a json string');
    expect((await flagOf(request, ns, 'checkout')).variants).toEqual([]);
  });

  test('distributions over 100% are explained beside the field and nothing is stored', async ({ page, request }, info) => {
    const ns = unique('over', info);
    await namespaceWith(request, ns, [{ key: 'checkout', name: 'Checkout' }], ['beta']);
    for (const key of ['a', 'b']) await post(request, `/api/v1/namespaces/${ns}/flags/checkout/variants`, { key });
    await open(page, `/namespaces/${ns}/flags/checkout`, info);
    const add = await disclose(section(page, 'rules'), 'Add rule');
    await add.getByLabel('BETA beta').check();
    await add.getByLabel('Percent for a').fill('60');
    await add.getByLabel('Percent for b').fill('50.5');
    if (info.project.name === 'js-enabled') await expect(add.getByTestId('share-total')).toHaveText('Total 110.5% (must be 100% or less)');
    await add.getByRole('button', { name: 'Add rule' }).click();
    await expect(section(page, 'rules').locator('[data-field-error="distributions"]').first()).toContainText('they must add up to 100% or less');
    expect(await rulesOf(request, ns, 'checkout')).toEqual([]);
  });

  test('an invalid flag key is explained beside the field and nothing is stored', async ({ page, request }, info) => {
    await open(page, '/namespaces/default/flags/new', info);
    await page.getByLabel('Key').fill('not a key!');
    await page.getByLabel('Name', { exact: true }).fill('Bad');
    await page.getByRole('button', { name: 'Create flag' }).click();
    await expect(page.locator('[data-field-error="key"]')).toContainText('invalid field key: contains invalid characters');
    expect((await request.get('/api/v1/namespaces/default/flags/not%20a%20key!')).status()).toBe(404);
  });
});

test('rules: added with a distribution, reordered, edited and deleted after confirmation', async ({ page, request }, info) => {
  const ns = unique('rules', info);
  await namespaceWith(request, ns, [{ key: 'checkout', name: 'Checkout', enabled: true }], ['beta', 'staff']);
  for (const key of ['a', 'b', 'c']) await post(request, `/api/v1/namespaces/${ns}/flags/checkout/variants`, { key });
  await open(page, `/namespaces/${ns}/flags/checkout`, info);
  const rules = section(page, 'rules');

  let add = await disclose(rules, 'Add rule');
  await add.getByLabel('BETA beta').check();
  if (info.project.name === 'js-enabled') {
    await add.getByRole('button', { name: 'Split evenly' }).click();
    await expect(add.getByTestId('share-total')).toHaveText('Total 100% (must be 100% or less)');
  } else {
    for (const [key, share] of [['a', '33.33'], ['b', '33.33'], ['c', '33.34']]) await add.getByLabel(`Percent for ${key}`).fill(share);
  }
  await add.getByRole('button', { name: 'Add rule' }).click();
  await expect(rules.getByTestId('rule')).toHaveCount(1);

  add = await disclose(rules, 'Add rule');
  await add.getByLabel('BETA beta').check();
  await add.getByLabel('STAFF staff').check();
  await add.getByLabel('With several segments, match').selectOption('AND');
  await add.getByLabel('Percent for a').fill('100');
  await add.getByRole('button', { name: 'Add rule' }).click();
  await expect(rules.getByTestId('rule')).toHaveCount(2);
  await expect(rules.getByTestId('rule').nth(1).getByTestId('rule-segments')).toHaveText('beta AND staff');

  let stored = await rulesOf(request, ns, 'checkout');
  expect(stored[0].distributions.map((d: { rollout: number }) => d.rollout)).toEqual([33.33, 33.33, 33.34]);
  const [first, second] = stored.map((r: { id: string }) => r.id);

  await rules.getByTestId('rule').first().getByRole('button', { name: 'Move down' }).click();
  await expect(rules.getByTestId('rule').first().getByTestId('rule-segments')).toHaveText('beta AND staff');
  stored = await rulesOf(request, ns, 'checkout');
  expect(stored.map((r: { id: string }) => r.id)).toEqual([second, first]);

  const edit = await disclose(rules.getByTestId('rule').first(), 'Edit');
  await edit.getByLabel('STAFF staff').uncheck();
  await edit.getByLabel('Percent for a').fill('40');
  await edit.getByLabel('Percent for b').fill('60');
  await edit.getByRole('button', { name: 'Save rule' }).click();
  await expect(rules.getByTestId('rule').first().getByTestId('rule-segments')).toHaveText('beta');
  stored = await rulesOf(request, ns, 'checkout');
  expect(stored[0].distributions.map((d: { rollout: number }) => d.rollout)).toEqual([40, 60]);

  await confirmDelete(rules.getByTestId('rule').nth(1), 'Delete rule');
  await expect(rules.getByTestId('rule')).toHaveCount(1);
  expect((await rulesOf(request, ns, 'checkout')).map((r: { id: string; rank: number }) => [r.id, r.rank])).toEqual([[second, 1]]);
});

test('the default variant, the enabled toggle and a copy to another namespace', async ({ page, request }, info) => {
  const ns = unique('dflt-variant', info);
  const other = unique('copy-target', info);
  await namespaceWith(request, ns, [{ key: 'checkout', name: 'Checkout' }]);
  await post(request, '/api/v1/namespaces', { key: other, name: other });
  for (const key of ['blue', 'red']) await post(request, `/api/v1/namespaces/${ns}/flags/checkout/variants`, { key, attachment: `{"v":"${key}"}` });
  await open(page, `/namespaces/${ns}/flags/checkout`, info);

  await section(page, 'default-variant').getByLabel('Variant').selectOption({ label: 'red' });
  await section(page, 'default-variant').getByRole('button', { name: 'Set default' }).click();
  await expect.poll(async () => (await flagOf(request, ns, 'checkout')).defaultVariant?.key).toBe('red');

  await expect(page.getByTestId('flag-status')).toHaveText('disabled');
  await page.getByTestId('flag-toggle').click();
  await expect(page.getByTestId('flag-status')).toHaveText('enabled');
  const flag = await flagOf(request, ns, 'checkout');
  expect([flag.enabled, flag.defaultVariant.key]).toEqual([true, 'red']);

  await section(page, 'copy-flag').getByLabel('Namespace').selectOption(other);
  await section(page, 'copy-flag').getByRole('button', { name: 'Copy flag' }).click();
  await expect.poll(async () => (await request.get(`/api/v1/namespaces/${other}/flags/checkout`)).status()).toBe(200);
  const copy = await flagOf(request, other, 'checkout');
  expect(copy.variants.map((v: { key: string; attachment: string }) => [v.key, v.attachment])).toEqual([['blue', '{"v":"blue"}'], ['red', '{"v":"red"}']]);
  expect([copy.enabled, copy.defaultVariant.key]).toEqual([true, 'red']);
});

test('boolean flags: threshold and segment rollouts, reordered and deleted after confirmation', async ({ page, request }, info) => {
  const ns = unique('rollouts', info);
  await namespaceWith(request, ns, [{ key: 'dark-mode', name: 'Dark mode', type: 'BOOLEAN_FLAG_TYPE' }], ['beta']);
  await open(page, `/namespaces/${ns}/flags/dark-mode`, info);
  const rollouts = section(page, 'rollouts');
  await expect(rollouts.getByTestId('rollout-default')).toContainText('false (the flag is disabled)');

  let add = await disclose(rollouts, 'Add threshold rollout');
  await add.getByLabel('Percentage of entities').fill('30');
  await add.getByLabel('Answer').selectOption('true');
  await add.getByRole('button', { name: 'Add rollout' }).click();
  await expect(rollouts.getByTestId('rollout')).toHaveCount(1);

  add = await disclose(section(page, 'rollouts'), 'Add segment rollout');
  await add.getByLabel('BETA beta').check();
  await add.getByLabel('Answer').selectOption('false');
  await add.getByRole('button', { name: 'Add rollout' }).click();
  await expect(rollouts.getByTestId('rollout')).toHaveCount(2);
  await expect(rollouts.getByTestId('rollout-summary')).toHaveText(['30% of entities → true', 'segment beta → false']);

  await rollouts.getByTestId('rollout').nth(1).getByRole('button', { name: 'Move up' }).click();
  await expect(rollouts.getByTestId('rollout-summary')).toHaveText(['segment beta → false', '30% of entities → true']);
  const stored = await rolloutsOf(request, ns, 'dark-mode');
  expect(stored.map((r: { type: string }) => r.type)).toEqual(['SEGMENT_ROLLOUT_TYPE', 'THRESHOLD_ROLLOUT_TYPE']);

  await confirmDelete(rollouts.getByTestId('rollout').first(), 'Delete rollout');
  await expect(rollouts.getByTestId('rollout-summary')).toHaveText(['30% of entities → true']);
  expect((await rolloutsOf(request, ns, 'dark-mode')).length).toBe(1);
});

test('deleting a flag needs confirmation and leaves a snapshot', async ({ page, request }, info) => {
  const ns = unique('delete', info);
  await namespaceWith(request, ns, [{ key: 'doomed', name: 'Doomed' }]);
  await open(page, `/namespaces/${ns}/flags/doomed`, info);
  await confirmDelete(page.locator('section').filter({ hasText: 'Delete flag…' }), 'Delete flag');
  await expect(page).toHaveURL(new RegExp(`/namespaces/${ns}/flags$`));
  expect((await request.get(`/api/v1/namespaces/${ns}/flags/doomed`)).status()).toBe(404);
  const snapshots = await (await request.get(`/api/v1/snapshots?namespace=${ns}`)).json();
  expect(snapshots.snapshots[0].reason).toBe('before deleting flag doomed');
});

test('@hydrated saving shows a toast', async ({ page, request }, info) => {
  const ns = unique('toast', info);
  await namespaceWith(request, ns, [{ key: 'checkout', name: 'Checkout' }]);
  await open(page, `/namespaces/${ns}/flags/checkout`, info);
  const add = await disclose(section(page, 'variants'), 'Add variant');
  await add.getByLabel('Key').fill('blue');
  await add.getByRole('button', { name: 'Add variant' }).click();
  await expect(page.getByTestId('toasts')).toContainText('Added variant blue');
});

test('@hydrated a change elsewhere redraws the flag page in place, keeping an open form and its typing', async ({ page, request }, info) => {
  const ns = unique('probe', info);
  await namespaceWith(request, ns, [{ key: 'checkout', name: 'Checkout' }]);
  await open(page, `/namespaces/${ns}/flags/checkout`, info);
  const add = await disclose(section(page, 'variants'), 'Add variant');
  await add.getByLabel('Key').fill('half-typed');

  // Another flag changes: the page reads its flag again and redraws in place, so the open
  // form and what was typed in it stay.
  const refetched = page.waitForResponse((r) => r.url().includes('/ui/flags/detail'), { timeout: 15_000 });
  await post(request, `/api/v1/namespaces/${ns}/flags`, { key: 'other', name: 'Other' });
  await refetched;
  // One more change and read, so that the redraw after the first read has happened.
  const again = page.waitForResponse((r) => r.url().includes('/ui/flags/detail'), { timeout: 15_000 });
  await post(request, `/api/v1/namespaces/${ns}/flags`, { key: 'other-2', name: 'Other 2' });
  await again;
  await expect(add).toHaveAttribute('open', '');
  await expect(add.getByLabel('Key')).toHaveValue('half-typed');

  // This flag changes: the page shows it.
  expect((await request.put(`/api/v1/namespaces/${ns}/flags/checkout`, { data: { name: 'Checkout v2' } })).status()).toBe(200);
  await expect(page.locator('h1')).toHaveText('Checkout v2', { timeout: 15_000 });
});

test.describe('flag metadata', () => {
  test.use({ expectedFailures: [/\b400\b/] });

  test('metadata rows are saved as text or JSON; broken JSON is explained and nothing is stored', async ({ page, request }, info) => {
    const ns = unique('metadata', info);
    await namespaceWith(request, ns, [{ key: 'checkout', name: 'Checkout', metadata: { owner: 'payments', limit: 5 } }]);
    await open(page, `/namespaces/${ns}/flags/checkout`, info);
    const table = section(page, 'flag-metadata-table');
    await expect(table.getByLabel('Metadata key 1')).toHaveValue('owner');
    await expect(table.getByLabel('Metadata type 1')).toHaveValue('text');
    await expect(table.getByLabel('Metadata key 2')).toHaveValue('limit');
    await expect(table.getByLabel('Metadata type 2')).toHaveValue('json');
    await table.getByLabel('Metadata value 2').fill('6');
    await table.getByLabel('Metadata key 3').fill('ticket');
    await table.getByLabel('Metadata value 3').fill('PAY-12');
    await table.getByRole('button', { name: 'Save metadata' }).click();
    await expect(section(page, 'flag-metadata-table').getByLabel('Metadata key 3')).toHaveValue('ticket');
    // The typed rows are on the page before the save answers: wait for the stored value.
    await expect.poll(async () => (await flagOf(request, ns, 'checkout')).metadata)
      .toEqual({ limit: 6, owner: 'payments', ticket: 'PAY-12' });

    await section(page, 'flag-metadata-table').getByLabel('Metadata type 4').selectOption('json');
    await section(page, 'flag-metadata-table').getByLabel('Metadata key 4').fill('broken');
    await section(page, 'flag-metadata-table').getByLabel('Metadata value 4').fill('{oops');
    await section(page, 'flag-metadata-table').getByRole('button', { name: 'Save metadata' }).click();
    await expect(section(page, 'flag-metadata-table').locator('[data-field-error="metadata"]')).toContainText('the value of "broken" is not JSON');
    expect((await flagOf(request, ns, 'checkout')).metadata).toEqual({ limit: 6, owner: 'payments', ticket: 'PAY-12' });
  });
});

test.describe('stale metadata', () => {
  test.use({ expectedFailures: [/\b409\b/] });

  test('@hydrated a stale metadata save shows what changed; re-applying keeps both edits', async ({ page, request }, info) => {
    const ns = unique('stale-meta', info);
    await namespaceWith(request, ns, [{ key: 'checkout', name: 'Checkout', metadata: { owner: 'payments' } }]);
    await open(page, `/namespaces/${ns}/flags/checkout`, info);
    // Hold the page's version check, so the outside change is not drawn before the save.
    await page.route('**/ui/namespaces/version**', () => {});
    const table = section(page, 'flag-metadata-table');
    await table.getByLabel('Metadata key 2').fill('ticket');
    await table.getByLabel('Metadata value 2').fill('PAY-7');
    // Someone else changes the owner before this form is saved.
    const put = await request.put(`/api/v1/namespaces/${ns}/flags/checkout`, { data: { name: 'Checkout', metadata: { owner: 'growth' } } });
    expect(put.status()).toBe(200);
    await table.getByRole('button', { name: 'Save metadata' }).click();
    const conflict = page.getByTestId('conflict');
    await expect(conflict).toContainText("Someone saved this flag's metadata after you opened it");
    await expect(conflict.locator('tr', { hasText: 'owner' })).toContainText('growth');
    await expect(conflict.locator('tr.changed', { hasText: 'ticket' })).toContainText('PAY-7');
    expect((await flagOf(request, ns, 'checkout')).metadata).toEqual({ owner: 'growth' });
    await conflict.getByTestId('reapply').click();
    await expect(page.getByTestId('conflict')).toHaveCount(0);
    await expect.poll(async () => (await flagOf(request, ns, 'checkout')).metadata).toEqual({ owner: 'growth', ticket: 'PAY-7' });
  });
});
