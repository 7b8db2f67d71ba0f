// Settings → Namespaces: the forms work with JavaScript and without it, a rename never touches
// the namespace's flags (Flipt #4177), a delete needs confirmation and leaves a snapshot, and a
// stale edit is refused rather than applied.
import { test, expect } from './fixtures';
import type { APIRequestContext, Page } from '@playwright/test';
import { open } from './helpers';

async function seedNamespace(request: APIRequestContext, key: string) {
  const post = async (path: string, data: object) => expect((await request.post(path, { data })).status()).toBe(200);
  await post('/api/v1/namespaces', { key, name: 'Before', description: 'old text' });
  await post(`/api/v1/namespaces/${key}/flags`, { key: 'checkout', name: 'Checkout', enabled: true });
  await post(`/api/v1/namespaces/${key}/flags/checkout/variants`, { key: 'blue', attachment: '{"c":1}' });
  await post(`/api/v1/namespaces/${key}/flags`, { key: 'dark-mode', name: 'Dark', type: 'BOOLEAN_FLAG_TYPE' });
  await post(`/api/v1/namespaces/${key}/segments`, { key: 'beta', name: 'Beta' });
}

function card(page: Page, key: string) {
  return page.getByTestId(`namespace-${key}`);
}

test('renaming a namespace in settings keeps every flag and segment', async ({ page, request }, info) => {
  const key = `rename-${info.project.name}-${Date.now()}`;
  await seedNamespace(request, key);
  await page.goto('/settings/namespaces');
  await expect(card(page, key)).toContainText('version 1');
  await card(page, key).getByLabel('Name').fill('After');
  await card(page, key).getByLabel('Description').fill('new text');
  await card(page, key).getByRole('button', { name: 'Save' }).click();
  await expect(card(page, key)).toContainText('version 2');
  await expect(card(page, key).getByLabel('Name')).toHaveValue('After');

  const ns = await (await request.get(`/api/v1/namespaces/${key}`)).json();
  expect([ns.name, ns.description]).toEqual(['After', 'new text']);
  const flags = await (await request.get(`/api/v1/namespaces/${key}/flags`)).json();
  expect(flags.flags.map((f: { key: string }) => f.key)).toEqual(['checkout', 'dark-mode']);
  expect(flags.flags[0].variants[0].attachment).toBe('{"c":1}');
  expect((await (await request.get(`/api/v1/namespaces/${key}/segments`)).json()).totalCount).toBe(1);
});

test('creating a namespace, and deleting it only after confirmation', async ({ page, request }, info) => {
  const key = `made-${info.project.name}-${Date.now()}`;
  await page.goto('/settings/namespaces');
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create namespace' }) });
  await form.getByLabel('Key').fill(key);
  await form.getByLabel('Name').fill('Made in the browser');
  await form.getByRole('button', { name: 'Create namespace' }).click();
  await expect(card(page, key)).toBeVisible();

  await card(page, key).getByText('Delete…').click();
  await card(page, key).getByRole('button', { name: 'Delete namespace' }).click();
  await expect(card(page, key)).toBeVisible(); // the unchecked confirmation stops the form
  await card(page, key).getByLabel('I understand').check();
  await card(page, key).getByRole('button', { name: 'Delete namespace' }).click();
  await expect(card(page, key)).toHaveCount(0);
  expect((await request.get(`/api/v1/namespaces/${key}`)).status()).toBe(404);
  const snapshots = await (await request.get(`/api/v1/snapshots?namespace=${key}`)).json();
  expect(snapshots.snapshots[0].reason).toBe('before namespace delete');
});

test.describe('stale edits', () => {
  test.use({ expectedFailures: [/409/] });

  test('a stale edit is refused and shown beside what is stored, and nothing is overwritten', async ({ page, request }, info) => {
    const key = `stale-${info.project.name}-${Date.now()}`;
    await seedNamespace(request, key);
    await open(page, '/settings/namespaces', info);
    await expect(card(page, key)).toContainText('version 1');
    // Someone else renames it after the page was rendered.
    expect((await request.put(`/api/v1/namespaces/${key}`, { data: { name: 'Theirs', description: 'old text' } })).status()).toBe(200);
    await card(page, key).getByLabel('Description').fill('my text');
    await card(page, key).getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByTestId('conflict');
    await expect(conflict).toContainText('Someone saved this namespace after you opened it');
    await expect(conflict).toContainText('Theirs');
    let ns = await (await request.get(`/api/v1/namespaces/${key}`)).json();
    expect([ns.name, ns.description]).toEqual(['Theirs', 'old text']);
    if (info.project.name === 'js-enabled') {
      // The edit is known: re-applying sends only the edited field over the stored namespace.
      await expect(conflict.locator('tr.changed')).toContainText('my text');
      await conflict.getByTestId('reapply').click();
      await expect(page.getByTestId('conflict')).toHaveCount(0);
      await expect(card(page, key)).toContainText('version 3');
      ns = await (await request.get(`/api/v1/namespaces/${key}`)).json();
      expect([ns.name, ns.description]).toEqual(['Theirs', 'my text']);
    } else {
      await expect(card(page, key).getByLabel('Name')).toHaveValue('Theirs');
    }
  });
});

test('a Flipt document uploaded in Settings is imported, and its export link gives it back', async ({ page, request }, info) => {
  const ns = `upload-${info.project.name}-${Date.now()}`;
  const yaml = `namespace: ${ns}\nflags:\n  - key: uploaded\n    name: Uploaded\n    enabled: true\nsegments:\n  - key: everyone\n    name: Everyone\n    match_type: ALL_MATCH_TYPE\n`;
  await page.goto('/settings/namespaces');
  const form = page.locator('#import form');
  await form.getByLabel('File (YAML or JSON)').setInputFiles({ name: 'features.yml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('status')).toContainText(`${ns}: 1 flags and 1 segments created`);
  const flag = await (await request.get(`/api/v1/namespaces/${ns}/flags/uploaded`)).json();
  expect([flag.name, flag.enabled]).toEqual(['Uploaded', true]);

  const link = page.getByTestId(`namespace-${ns}`).getByRole('link', { name: 'Export' });
  const exported = await (await request.get((await link.getAttribute('href'))!)).text();
  expect(exported).toContain('key: uploaded');

  await form.getByLabel('File (YAML or JSON)').setInputFiles({ name: 'broken.yml', mimeType: 'application/yaml', buffer: Buffer.from('namespace: broken\nflags:\n  - key: [oops\n') });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('alert')).toContainText('Nothing was imported');
  await expect(page.getByRole('alert')).toContainText('line');
  expect((await request.get('/api/v1/namespaces/broken')).status()).toBe(404);
});
