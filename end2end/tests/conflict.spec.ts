// Two people edit the same flag: the second save is refused and shows what changed, keeping
// what was typed; re-applying keeps both edits.
import { test, expect } from './fixtures';
import { flagOf, open, post, unique } from './helpers';

test.use({ expectedFailures: [/\b409\b/] });

test('@hydrated the second of two concurrent edits gets the conflict view, and both edits survive', async ({ browser, request }, info) => {
  const ns = unique('conflict', info);
  await post(request, '/api/v1/namespaces', { key: ns, name: ns });
  await post(request, `/api/v1/namespaces/${ns}/flags`, { key: 'checkout', name: 'Checkout', description: 'old' });
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  for (const page of [alice, bob]) await open(page, `/namespaces/${ns}/flags/checkout`, info);

  // Bob starts typing; meanwhile Alice renames the flag and saves.
  const bobDetails = bob.getByTestId('flag-metadata');
  await bobDetails.getByLabel('Description').fill('written by Bob');
  const aliceDetails = alice.getByTestId('flag-metadata');
  await aliceDetails.getByLabel('Name').fill('Checkout (Alice)');
  await aliceDetails.getByRole('button', { name: 'Save details' }).click();
  await expect(alice.getByTestId('toasts')).toContainText('Saved checkout');
  // Bob's page learns of the change (version poll) but keeps his typing.
  await expect(bob.getByTestId('flag-head')).toHaveAttribute('data-version', '2', { timeout: 10_000 });
  await expect(bobDetails.getByLabel('Description')).toHaveValue('written by Bob');

  await bobDetails.getByRole('button', { name: 'Save details' }).click();
  const conflict = bob.getByTestId('conflict');
  await expect(conflict).toContainText('Someone saved this flag after you opened it');
  await expect(conflict.locator('tr.changed')).toContainText('Checkout (Alice)');
  await expect(bobDetails.getByLabel('Description')).toHaveValue('written by Bob');
  expect((await flagOf(request, ns, 'checkout')).description).toBe('old');

  await conflict.getByTestId('reapply').click();
  await expect(bob.getByTestId('conflict')).toHaveCount(0);
  for (const page of [alice, bob]) {
    await page.reload();
    await expect(page.getByTestId('flag-metadata').getByLabel('Name')).toHaveValue('Checkout (Alice)');
    await expect(page.getByTestId('flag-metadata').getByLabel('Description')).toHaveValue('written by Bob');
  }
  const stored = await flagOf(request, ns, 'checkout');
  expect([stored.name, stored.description, stored.version]).toEqual(['Checkout (Alice)', 'written by Bob', 3]);
});
