// Flipt's own SDKs, unmodified, listing flags from Vexil: the Node SDK (@flipt-io/flipt, which
// sends no Content-Type) and the Python SDK (flipt on PyPI).
import { test, expect, APIRequestContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ClientTokenAuthentication, FliptClient } from '@flipt-io/flipt';

// Unique per run, so the suite also works against a server that is already running (E2E_BASE_URL).
const ns = `sdk-${Date.now()}`;

async function seed(request: APIRequestContext) {
  const post = async (path: string, data: object) => {
    const response = await request.post(path, { data });
    expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
    return response.json();
  };
  await post('/api/v1/namespaces', { key: ns, name: 'SDK clients' });
  await post(`/api/v1/namespaces/${ns}/flags`, { key: 'checkout', name: 'Checkout', enabled: true });
  await post(`/api/v1/namespaces/${ns}/flags/checkout/variants`, { key: 'blue', attachment: '{"color":"blue"}' });
  await post(`/api/v1/namespaces/${ns}/flags/checkout/variants`, { key: 'green' });
  await post(`/api/v1/namespaces/${ns}/flags`, { key: 'dark-mode', name: 'Dark mode', type: 'BOOLEAN_FLAG_TYPE' });
  await post(`/api/v1/namespaces/${ns}/flags`, { key: 'search', name: 'Search' });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  await seed(request);
});

test('the Node SDK lists flags page by page', async ({ baseURL }) => {
  const client = new FliptClient({ url: baseURL, authenticationStrategy: new ClientTokenAuthentication(process.env.E2E_TOKEN!) });
  const all = await client.flags.listFlags(ns);
  expect(all.totalCount).toBe(3);
  expect(all.flags.map((f) => f.key)).toEqual(['checkout', 'dark-mode', 'search']);
  expect(all.flags[0].variants.map((v) => v.key)).toEqual(['blue', 'green']);
  expect(all.flags[1].type).toBe('BOOLEAN_FLAG_TYPE');

  const first = await client.flags.listFlags(ns, { limit: 2 });
  expect(first.flags.map((f) => f.key)).toEqual(['checkout', 'dark-mode']);
  expect(first.nextPageToken).not.toBe('');
  const second = await client.flags.listFlags(ns, { limit: 2, pageToken: first.nextPageToken });
  expect(second.flags.map((f) => f.key)).toEqual(['search']);
  expect(second.nextPageToken).toBe('');
});

test('the Python SDK lists and gets flags', async ({ baseURL }) => {
  const python = process.env.E2E_PYTHON ?? 'python3';
  const output = execFileSync(python, [join(__dirname, 'python_list_flags.py'), baseURL!, ns], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const seen = JSON.parse(output);
  expect(seen.total).toBe(3);
  expect(seen.flags).toEqual([
    { key: 'checkout', type: 'VARIANT_FLAG_TYPE', enabled: true, variants: ['blue', 'green'] },
    { key: 'dark-mode', type: 'BOOLEAN_FLAG_TYPE', enabled: false, variants: [] },
    { key: 'search', type: 'VARIANT_FLAG_TYPE', enabled: false, variants: [] },
  ]);
  expect(seen.with_params_total).toBe(3);
  expect(seen.got).toBe('checkout');
});
