// Signing in with OpenID Connect against a real provider (panva's oidc-provider, started here
// on 127.0.0.1): the authorization code flow with PKCE through the provider's own login and
// consent pages, with JavaScript on and off. An address the roles rules name gets in with its
// role; one they do not name is refused, and no session is made.
import { test, expect } from './fixtures';
import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

test.use({ extraHTTPHeaders: {} });

let provider: ChildProcess | undefined;

test.beforeAll(async () => {
  const port = process.env.E2E_OIDC_PORT!;
  const redirect = `http://127.0.0.1:${process.env.E2E_PORT}/auth/v1/method/oidc/test/callback`;
  provider = spawn(process.execPath, [join(__dirname, '..', 'oidc', 'provider.mjs'), port, redirect, 'vexil-e2e', 'vexil-e2e-client-secret'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the OpenID provider did not start within 20 s')), 20_000);
    provider!.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    provider!.on('exit', (code) => reject(new Error(`the OpenID provider exited with ${code}`)));
  });
});

// The provider's development pages import a web font from the internet; tests talk to
// 127.0.0.1 only, so anything else is answered here, empty.
test.beforeEach(async ({ page }) => {
  await page.route((url) => url.hostname !== '127.0.0.1', (route) => route.fulfill({ status: 200, contentType: 'text/css', body: '' }));
});

test.afterAll(async () => {
  if (provider && provider.exitCode === null) {
    const exited = new Promise((resolve) => provider!.once('exit', resolve));
    provider.kill('SIGTERM');
    await exited;
  }
});

/** Signs in at the provider's development pages as `address`, consenting. */
async function throughProvider(page: Page, address: string) {
  await page.goto('/login?next=%2Fnamespaces%2Fdefault%2Fflags');
  await page.getByTestId('oidc-signin').click();
  await expect(page).toHaveURL(new RegExp(`127\\.0\\.0\\.1:${process.env.E2E_OIDC_PORT}/interaction/`));
  await page.locator('input[name="login"]').fill(address);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await expect(page.locator('button[type="submit"]')).toBeVisible();
  await page.locator('button[type="submit"]').click();
}

test('an address the rules name signs in with its role, and signs out', async ({ page }) => {
  await throughProvider(page, 'alice@example.com');
  await expect(page).toHaveURL(/\/namespaces\/default\/flags$/);
  await expect(page.getByTestId('who-name')).toHaveText('alice@example.com');
  await expect(page.getByTestId('who-role')).toHaveText('admin');
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/login$/);
});

test('a domain rule gives its role: a viewer, without edit controls', async ({ page }) => {
  await throughProvider(page, 'bob@example.com');
  await expect(page.getByTestId('who-role')).toHaveText('viewer');
  await expect(page.locator('main form[action*="/ui/"]')).toHaveCount(0);
});

test.describe('refused', () => {
  test.use({ expectedFailures: [/HTTP 403/] });

  test('an address no rule names is refused, and gets no session', async ({ page }) => {
    await throughProvider(page, 'mallory@evil.test');
    await expect(page.getByTestId('signin-error')).toContainText('mallory@evil.test is not allowed');
    expect((await page.context().cookies()).some((c) => c.name === 'vexil_session')).toBe(false);
    await page.goto('/namespaces/default/flags');
    await expect(page).toHaveURL(/\/login\?next=/);
  });
});
