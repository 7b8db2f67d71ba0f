// Light and dark themes: switched from the top bar or chosen in Settings → General, kept in
// a cookie and applied by the server from the first byte.
import { test, expect } from './fixtures';
import { open } from './helpers';

test('the theme switch and the general preference set and keep the theme', async ({ page }, info) => {
  await open(page, '/namespaces/default/flags', info);
  await page.getByTestId('theme-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await open(page, '/settings/general', info);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(20, 22, 31)');
  await page.getByRole('radio', { name: 'Light' }).check();
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByRole('radio', { name: 'Light' })).toBeChecked();
});

test('the dashboard fits a narrow window', async ({ page }, info) => {
  await page.setViewportSize({ width: 380, height: 800 });
  await open(page, '/namespaces/default/flags', info);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
