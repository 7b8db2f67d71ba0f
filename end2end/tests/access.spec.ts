// Access control as a person meets it: the sign-in page (a pasted token, a sign-in link),
// sign-out that ends the session for real, a viewer who sees no edit controls and whose forged
// post is refused, a cross-site form post refused although the browser sends the cookie, and
// Settings → Access creating and revoking a token that then works, and stops working, over
// the API. These pages carry no Authorization header: they sign in as a person does.
import { test, expect } from './fixtures';
import type { APIRequestContext, Page } from '@playwright/test';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { open, post, unique } from './helpers';

const ADMIN = process.env.E2E_TOKEN!;

test.use({ extraHTTPHeaders: {} });

/** The admin's API, whatever the page's own credentials. */
async function adminApi(playwright: typeof import('@playwright/test')) {
  return playwright.request.newContext({
    baseURL: process.env.E2E_BASE_URL ?? `http://127.0.0.1:${process.env.E2E_PORT}`,
    extraHTTPHeaders: { Authorization: `Bearer ${ADMIN}` },
  });
}

async function tokenFor(api: APIRequestContext, name: string, role: string, namespaceKey = '') {
  return (await post(api, '/auth/v1/method/token', { name, role, namespaceKey })).clientToken as string;
}

async function signIn(page: Page, token: string, path = '/namespaces/default/flags') {
  await page.goto(path);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(path.replace(/\//g, '\\/') + '$'));
}

test.describe('signed out', () => {
  test.use({ expectedFailures: [/HTTP 401/] });

  test('a token signs in through the page, and signing out ends the session everywhere', async ({ page, playwright }) => {
    await signIn(page, ADMIN);
    await expect(page.getByTestId('who-name')).toHaveText('initial_bootstrap_token');
    await expect(page.getByTestId('who-role')).toHaveText('admin');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'vexil_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');

    await page.getByTestId('sign-out').click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto('/namespaces/default/flags');
    await expect(page).toHaveURL(/\/login\?next=/);
    // The old cookie is dead on the server, not only forgotten by this browser.
    const replay = await playwright.request.newContext({ baseURL: page.url().split('/login')[0] });
    const reply = await replay.get('/api/v1/namespaces/default/flags', {
      headers: { Cookie: `vexil_session=${cookie.value}` },
    });
    expect(reply.status()).toBe(401);
    expect(await reply.json()).toEqual({ code: 16, message: 'request was not authenticated', details: [] });
  });

  test('a wrong token is refused on the page, with nothing signed in', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signin-error')).toContainText('not valid');
    expect((await page.context().cookies()).some((c) => c.name === 'vexil_session')).toBe(false);
  });

  test('a sign-in link signs in without the token reaching the server in a URL @hydrated', async ({ page }) => {
    await page.goto(`/login#token=${encodeURIComponent(ADMIN)}`);
    await expect(page).toHaveURL(/\/$|\/namespaces\/default\/flags$/);
    await expect(page.getByTestId('who-name')).toHaveText('initial_bootstrap_token');
  });
});

test.describe('roles', () => {
  test.use({ expectedFailures: [/HTTP 40[13]/] });

  test('a viewer sees no edit controls, and a forged form post is refused', async ({ page, playwright }, info) => {
    const api = await adminApi(playwright);
    const ns = unique('viewer', info);
    await post(api, '/api/v1/namespaces', { key: ns, name: 'Viewer test' });
    await post(api, `/api/v1/namespaces/${ns}/flags`, { key: 'checkout', name: 'Checkout' });
    await signIn(page, await tokenFor(api, 'a-viewer', 'viewer'), `/namespaces/${ns}/flags/checkout`);
    await expect(page.getByTestId('who-role')).toHaveText('viewer');
    await expect(page.getByRole('heading', { name: 'Checkout' }).first()).toBeVisible();
    await expect(page.locator('main form[action*="/ui/"]')).toHaveCount(0);
    await expect(page.getByText('Delete flag…')).toHaveCount(0);

    // The same post the editor's form would send, with this session's own CSRF token.
    const csrf = JSON.parse((await page.locator('meta[name="vexil-viewer"]').getAttribute('content'))!).csrf_token;
    const forged = await page.request.post('/ui/flags/update', {
      form: { namespace: ns, key: 'checkout', version: '1', name: 'Hijacked', csrf_token: csrf },
      headers: { Origin: new URL(page.url()).origin },
    });
    expect(forged.status()).toBe(403);
    expect((await (await api.get(`/api/v1/namespaces/${ns}/flags/checkout`)).json()).name).toBe('Checkout');
  });

  test('a cross-site form post is refused although the browser sends the session cookie', async ({ page, playwright }, info) => {
    const api = await adminApi(playwright);
    await signIn(page, ADMIN);
    const target = new URL(page.url()).origin;
    const key = unique('forged', info);
    const evil = await serve(`<!DOCTYPE html><form method="post" action="${target}/ui/namespaces/create">
      <input name="key" value="${key}"><input name="name" value="Forged"><input name="description" value="">
      <button type="submit">Win a prize</button></form>`);
    try {
      await page.goto(evil.url);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().startsWith(`${target}/ui/namespaces/create`)),
        page.getByRole('button', { name: 'Win a prize' }).click(),
      ]);
      expect(answer.status()).toBe(403);
      expect((await api.get(`/api/v1/namespaces/${key}`)).status()).toBe(404);
    } finally {
      await evil.close();
    }
  });
});

test.describe('Settings → Access', () => {
  test.use({ expectedFailures: [/HTTP 401/] });

  test('an admin creates a token, uses it over the API, and revokes it', async ({ page, playwright }, info) => {
    await signIn(page, ADMIN, '/settings/access');
    const name = unique('ci', info);
    const form = page.getByTestId('new-token');
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    await expect(page.getByTestId(`token-${name}`)).toContainText('viewer');
    // Shown once: a reload no longer has it.
    await page.reload();
    await expect(page.getByTestId('secret')).toHaveCount(0);

    const base = new URL(page.url()).origin;
    const client = await playwright.request.newContext({ baseURL: base, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
    expect((await client.get('/api/v1/namespaces/default/flags')).status()).toBe(200);
    expect((await client.post('/api/v1/namespaces/default/flags', { data: { key: `${name}-x`, name: 'x' } })).status()).toBe(403);

    const row = page.getByTestId(`token-${name}`);
    await row.locator('summary').click();
    await row.getByLabel('I understand').check();
    await row.getByRole('button', { name: 'Revoke token' }).click();
    await expect(page.getByTestId(`token-${name}`)).toHaveCount(0);
    expect((await client.get('/api/v1/namespaces/default/flags')).status()).toBe(401);
  });
});

/** A page on another origin (another port of 127.0.0.1), as an attacker's site would be. */
async function serve(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
