// The namespace overview: rendered on the server, interactive once hydrated.
import { test, expect } from './fixtures';

test('the server renders the namespace list with the protected default', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Namespaces · Vexil');
  const row = page.getByTestId('namespace-list').getByRole('row').filter({ hasText: 'default' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Default');
  await expect(row).toContainText('Default namespace');
  await expect(row).toContainText('protected');
  await expect(page.getByTestId('namespace-count')).toHaveText('Showing 1 of 1 namespaces');
});

test('@hydrated the filter narrows the list once the wasm has hydrated', async ({ page }) => {
  await page.goto('/');
  const filter = page.getByRole('searchbox');
  const count = page.getByTestId('namespace-count');
  // Typing before hydration does nothing; retry until the wasm answers.
  await expect(async () => {
    await filter.fill('no-such-namespace');
    await expect(count).toHaveText('Showing 0 of 1 namespaces', { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId('namespace-list').getByRole('row').filter({ hasText: 'default' })).toHaveCount(0);

  await filter.fill('DEFAULT');
  await expect(count).toHaveText('Showing 1 of 1 namespaces');
});

test('@nojs without JavaScript the filter is inert and the list stays complete', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('searchbox').fill('no-such-namespace');
  await expect(page.getByTestId('namespace-count')).toHaveText('Showing 1 of 1 namespaces');
});

test('an unknown path answers 404 with a way back', async ({ page }) => {
  const response = await page.request.get('/no/such/page');
  expect(response.status()).toBe(404);
  expect(await response.text()).toContain('Page not found');
});
