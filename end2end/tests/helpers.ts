// Shared steps of the dashboard tests.
import { expect } from './fixtures';
import type { APIRequestContext, Page, TestInfo } from '@playwright/test';

/** A key no other test (or project run) uses. */
export function unique(prefix: string, info: TestInfo): string {
  return `${prefix}-${info.project.name}-${Date.now()}-${Math.floor(Math.random() * 1e4)}`;
}

/** Opens `path` and, when JavaScript is on, waits until the wasm has hydrated the page. */
export async function open(page: Page, path: string, info: TestInfo) {
  await page.goto(path);
  if (info.project.use.javaScriptEnabled !== false) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: 15_000 });
  }
}

/** POSTs `data` to the REST API and expects 200; answers the JSON body. */
export async function post(request: APIRequestContext, path: string, data: object) {
  const reply = await request.post(path, { data });
  expect(reply.status(), `${path}: ${await reply.text()}`).toBe(200);
  return reply.json();
}

/** The stored flag, as the REST API serves it. */
export async function flagOf(request: APIRequestContext, ns: string, key: string) {
  const reply = await request.get(`/api/v1/namespaces/${ns}/flags/${key}`);
  expect(reply.status()).toBe(200);
  return reply.json();
}

export async function rulesOf(request: APIRequestContext, ns: string, key: string) {
  return (await (await request.get(`/api/v1/namespaces/${ns}/flags/${key}/rules`)).json()).rules;
}

export async function rolloutsOf(request: APIRequestContext, ns: string, key: string) {
  return (await (await request.get(`/api/v1/namespaces/${ns}/flags/${key}/rollouts`)).json()).rules;
}

/** Opens a `<details>` disclosure inside `scope` by its summary text and answers it. */
export async function disclose(scope: import('@playwright/test').Locator, summary: string) {
  const details = scope.locator('details').filter({ has: scope.page().locator(`summary:text-is("${summary}")`) }).first();
  const opened = await details.evaluate((d) => (d as HTMLDetailsElement).open);
  if (!opened) await details.locator('summary').first().click();
  return details;
}

/** Confirms and runs a delete: opens "Delete…", ticks "I understand", presses `button`. */
export async function confirmDelete(scope: import('@playwright/test').Locator, button: string) {
  const details = scope.locator('details.danger-zone').first();
  await details.locator('summary').click();
  // Without the box ticked the browser refuses the form: nothing is deleted by one click.
  await details.getByRole('button', { name: button }).click();
  await expect(details.getByRole('button', { name: button })).toBeVisible();
  await details.getByLabel('I understand').check();
  await details.getByRole('button', { name: button }).click();
}
