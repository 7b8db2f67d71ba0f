// The namespace overview: rendered on the server, interactive once hydrated.
import { test, expect } from './fixtures';
import type { APIRequestContext } from '@playwright/test';

/** How many namespaces exist, and how many mention `needle` (as the page's filter matches). */
async function counts(request: APIRequestContext, needle: string) {
  const { namespaces } = await (await request.get('/api/v1/namespaces')).json();
  const matching = namespaces.filter((ns: Record<string, string>) =>
    [ns.key, ns.name, ns.description].some((field) => field.toLowerCase().includes(needle.toLowerCase())),
  );
  return { total: namespaces.length as number, matching: matching.length as number };
}

test('the server renders the namespace list with the protected default', async ({ page, request }) => {
  const { total } = await counts(request, '');
  await page.goto('/namespaces');
  await expect(page).toHaveTitle('Namespaces · Vexil');
  const row = page.getByTestId('namespace-list').getByRole('row').filter({ hasText: 'default' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Default');
  await expect(row).toContainText('Default namespace');
  await expect(row).toContainText('protected');
  await expect(page.getByTestId('namespace-count')).toHaveText(`Showing ${total} of ${total} namespaces`);
});

test('@hydrated the filter narrows the list once the wasm has hydrated', async ({ page, request }) => {
  const { total, matching } = await counts(request, 'default');
  await page.goto('/namespaces');
  const filter = page.getByRole('searchbox');
  const count = page.getByTestId('namespace-count');
  // Typing before hydration does nothing; retry until the wasm answers.
  await expect(async () => {
    await filter.fill('no-such-namespace');
    await expect(count).toHaveText(`Showing 0 of ${total} namespaces`, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId('namespace-list').getByRole('row').filter({ hasText: 'default' })).toHaveCount(0);

  await filter.fill('DEFAULT');
  await expect(count).toHaveText(`Showing ${matching} of ${total} namespaces`);
});

test('@nojs without JavaScript the filter is inert and the list stays complete', async ({ page, request }) => {
  const { total } = await counts(request, '');
  await page.goto('/namespaces');
  await page.getByRole('searchbox').fill('no-such-namespace');
  await expect(page.getByTestId('namespace-count')).toHaveText(`Showing ${total} of ${total} namespaces`);
});

test('an unknown path answers 404 with a way back', async ({ page }) => {
  const response = await page.request.get('/no/such/page');
  expect(response.status()).toBe(404);
  expect(await response.text()).toContain('Page not found');
});
