// The flag list: search, order and pages are done by the server and live in the URL, so the
// list works the same with JavaScript off; once hydrated, a change made elsewhere appears
// without a reload.
import { test, expect } from './fixtures';
import type { APIRequestContext } from '@playwright/test';

/** A namespace of its own with `count` flags: flag-000 … (every third one boolean, every
 * other one enabled), imported in one request. */
async function namespaceWithFlags(request: APIRequestContext, count: number): Promise<string> {
  const ns = `flags-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const lines = [`namespace: {key: ${ns}, name: Flags test}`, 'flags:'];
  for (let i = 0; i < count; i++) {
    const key = `flag-${String(i).padStart(3, '0')}`;
    const type = i % 3 === 0 ? 'BOOLEAN_FLAG_TYPE' : 'VARIANT_FLAG_TYPE';
    lines.push(`  - {key: ${key}, name: "Name ${String(count - i).padStart(3, '0')}", type: ${type}, enabled: ${i % 2 === 0}}`);
  }
  const reply = await request.post('/api/v1/import', { data: lines.join('\n') + '\n' });
  expect(reply.status(), await reply.text()).toBe(200);
  return ns;
}

const keys = (page: import('@playwright/test').Page) =>
  page.getByTestId('flags').locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-flag')));

test('/ leads to the default namespace flags', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/namespaces\/default\/flags$/);
  await expect(page).toHaveTitle('Flags · Vexil');
});

test('the server pages, searches and sorts a namespace of 60 flags', async ({ page, request }) => {
  const ns = await namespaceWithFlags(request, 60);
  await page.goto(`/namespaces/${ns}/flags`);
  await expect(page.getByTestId('flags-range')).toHaveText('1–25 of 60');
  expect(await keys(page)).toEqual(Array.from({ length: 25 }, (_, i) => `flag-${String(i).padStart(3, '0')}`));
  const first = page.getByTestId('flags').locator('tr[data-flag="flag-000"]');
  await expect(first).toContainText('boolean');
  await expect(first).toContainText('enabled');
  await expect(page.getByTestId('flags').locator('tr[data-flag="flag-001"]')).toContainText('disabled');

  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page.getByTestId('flags-range')).toHaveText('26–50 of 60');
  await page.getByRole('link', { name: 'Next →' }).click();
  await expect(page.getByTestId('flags-range')).toHaveText('51–60 of 60');
  await expect(page.getByRole('link', { name: 'Next →' })).toHaveCount(0);

  // Search (any case, key or name) and order, through the form.
  await page.getByRole('searchbox').fill('NAME 05');
  await page.getByLabel('Sort by').selectOption('name');
  await page.getByLabel('Order').selectOption('desc');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=NAME\+05|q=NAME%2005/);
  await expect(page.getByTestId('flags-range')).toHaveText('1–10 of 10');
  // "Name 059" … "Name 050" belong to flag-001 … flag-010, in descending name order.
  expect(await keys(page)).toEqual(Array.from({ length: 10 }, (_, i) => `flag-${String(i + 1).padStart(3, '0')}`));

  await page.getByRole('searchbox').fill('no such flag');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('flags-empty')).toHaveText('No flags match “no such flag”.');
});

test('the namespace switcher leads to another namespace', async ({ page, request }) => {
  const ns = await namespaceWithFlags(request, 3);
  await page.goto('/namespaces/default/flags');
  await page.getByTestId('namespace-switcher').locator('summary').click();
  await page.getByTestId('namespace-switcher').getByRole('link', { name: ns }).click();
  await expect(page).toHaveURL(new RegExp(`/namespaces/${ns}/flags$`));
  await expect(page.getByTestId('flags-range')).toHaveText('1–3 of 3');
});

test('@hydrated a change made through the API appears in an open flag list without a reload', async ({ page, request }) => {
  const ns = await namespaceWithFlags(request, 2);
  await page.goto(`/namespaces/${ns}/flags`);
  await expect(page.getByTestId('flags-range')).toHaveText('1–2 of 2');
  // The version check runs only once hydrated; the generous timeouts below cover hydration
  // plus one poll interval (2 s).
  const created = await request.post(`/api/v1/namespaces/${ns}/flags`, { data: { key: 'from-the-api', name: 'From the API' } });
  expect(created.status()).toBe(200);
  await expect(page.getByTestId('flags').locator('tr[data-flag="from-the-api"]')).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByTestId('flags-range')).toHaveText('1–3 of 3');
  const renamed = await request.put(`/api/v1/namespaces/${ns}/flags/flag-000`, { data: { name: 'Renamed elsewhere', enabled: true } });
  expect(renamed.status()).toBe(200);
  await expect(page.getByTestId('flags').locator('tr[data-flag="flag-000"]')).toContainText('Renamed elsewhere', { timeout: 15_000 });
});

test('@hydrated an open page follows the change stream: a change made elsewhere shows within a second', async ({ page, request }) => {
  const ns = await namespaceWithFlags(request, 2);
  // The page opens the namespace's change events once hydrated; wait until the stream answers.
  const stream = page.waitForResponse((r) => r.url().includes(`/ofrep/v1/_stream/default/${ns}/events`));
  await page.goto(`/namespaces/${ns}/flags`);
  expect((await stream).status()).toBe(200);
  await expect(page.getByTestId('flags-range')).toHaveText('1–2 of 2');
  for (const round of [1, 2, 3]) {
    const renamed = await request.put(`/api/v1/namespaces/${ns}/flags/flag-000`, { data: { name: `Streamed ${round}`, enabled: true } });
    expect(renamed.status()).toBe(200);
    // With the stream open the page polls only every 30 s: a second is the stream's doing.
    await expect(page.getByTestId('flags').locator('tr[data-flag="flag-000"]')).toContainText(`Streamed ${round}`, { timeout: 1_000 });
  }
});

test('a flag created through the form is listed first, as typed', async ({ page, request }) => {
  const ns = await namespaceWithFlags(request, 2);
  await page.goto(`/namespaces/${ns}/flags`);
  await page.getByRole('link', { name: 'New flag' }).click();
  await expect(page).toHaveURL(new RegExp(`/namespaces/${ns}/flags/new$`));
  // Before hydration the form posts as plain HTML; either way the result is the same.
  await page.getByLabel('Key').fill('made-in-the-browser');
  await page.getByLabel('Name', { exact: true }).fill('Made in the browser');
  await page.getByLabel('Description').fill('typed by Playwright');
  await page.getByLabel('Type').selectOption('BOOLEAN_FLAG_TYPE');
  await page.getByLabel('Enabled').check();
  await page.getByRole('button', { name: 'Create flag' }).click();
  await expect(page).toHaveURL(new RegExp(`/namespaces/${ns}/flags\\?sort=created&dir=desc$`));
  const row = page.getByTestId('flags').locator('tbody tr').first();
  await expect(row).toHaveAttribute('data-flag', 'made-in-the-browser');
  await expect(row).toContainText('boolean');
  await expect(row).toContainText('enabled');
  const flag = await (await request.get(`/api/v1/namespaces/${ns}/flags/made-in-the-browser`)).json();
  expect([flag.name, flag.description, flag.type, flag.enabled]).toEqual(['Made in the browser', 'typed by Playwright', 'BOOLEAN_FLAG_TYPE', true]);
});

test.describe('refused flags', () => {
  test.use({ expectedFailures: [/\b400\b/] });

  test('@hydrated a taken key is refused and explained, the typing kept and nothing stored', async ({ page, request }) => {
    const ns = await namespaceWithFlags(request, 2);
    await page.goto(`/namespaces/${ns}/flags/new`);
    await expect(async () => {
      await page.getByLabel('Key').fill('flag-000');
      await page.getByLabel('Name', { exact: true }).fill('Second of its name');
      await page.getByRole('button', { name: 'Create flag' }).click();
      await expect(page.getByRole('alert')).toContainText('is not unique', { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Second of its name');
    const { flags } = await (await request.get(`/api/v1/namespaces/${ns}/flags`)).json();
    expect(flags.map((f: { key: string; name: string }) => [f.key, f.name])).toEqual([
      ['flag-000', 'Name 002'],
      ['flag-001', 'Name 001'],
    ]);
  });
});
