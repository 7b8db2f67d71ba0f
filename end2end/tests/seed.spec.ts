// The seed scenario (Flipt #4177 in a real browser): build flags, variants, a segment, a rule
// and rollouts through the dashboard; edit the namespace's name, then its description, then
// both in Settings; everything is still listed and the console answers as before. For the
// default namespace and a second one, and again after a reload.
import { test, expect } from './fixtures';
import type { Page, TestInfo } from '@playwright/test';
import { disclose, open } from './helpers';

type Keys = { color: string; dark: string; segment: string };

async function createFlag(page: Page, info: TestInfo, ns: string, key: string, boolean: boolean) {
  await open(page, `/namespaces/${ns}/flags/new`, info);
  await page.getByLabel('Key').fill(key);
  await page.getByLabel('Name', { exact: true }).fill(`Flag ${key}`);
  if (boolean) await page.getByLabel('Type').selectOption('BOOLEAN_FLAG_TYPE');
  await page.getByLabel('Enabled').check();
  await page.getByRole('button', { name: 'Create flag' }).click();
  await expect(page.getByTestId('flags').locator(`tr[data-flag="${key}"]`)).toBeVisible();
}

async function build(page: Page, info: TestInfo, ns: string, keys: Keys) {
  await open(page, `/namespaces/${ns}/segments`, info);
  const form = page.getByTestId('new-segment');
  await form.getByLabel('Key').fill(keys.segment);
  await form.getByLabel('Name').fill('Pro customers');
  await form.getByRole('button', { name: 'Create segment' }).click();
  await expect(page).toHaveURL(new RegExp(`/segments/${keys.segment}$`));
  await open(page, `/namespaces/${ns}/segments/${keys.segment}`, info);
  const add = await disclose(page.getByTestId('constraints'), 'Add constraint');
  await add.getByLabel('Property').fill('plan');
  await add.getByLabel('Operator').selectOption('eq');
  await add.locator('input[name="value"]').fill('pro');
  await add.getByRole('button', { name: 'Add constraint' }).click();
  await expect(page.getByTestId('constraint-summary')).toHaveText(['plan eq pro']);

  await createFlag(page, info, ns, keys.color, false);
  await open(page, `/namespaces/${ns}/flags/${keys.color}`, info);
  for (const variant of ['blue', 'red']) {
    const form = await disclose(page.getByTestId('variants'), 'Add variant');
    await form.getByLabel('Key').fill(variant);
    await form.getByLabel('Attachment (JSON, optional)').fill(`{"name": "${variant}"}`);
    await form.getByRole('button', { name: 'Add variant' }).click();
    await expect(page.getByTestId('variants').locator(`[data-variant="${variant}"]`)).toBeVisible();
  }
  const rule = await disclose(page.getByTestId('rules'), 'Add rule');
  await rule.getByLabel(`Pro customers ${keys.segment}`).check();
  await rule.getByLabel('Percent for blue').fill('70');
  await rule.getByLabel('Percent for red').fill('30');
  await rule.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByTestId('rule')).toHaveCount(1);
  await page.getByTestId('default-variant').getByLabel('Variant').selectOption({ label: 'red' });
  await page.getByTestId('default-variant').getByRole('button', { name: 'Set default' }).click();
  await expect(page.getByTestId('default-variant').getByLabel('Variant').locator('option[selected]')).toHaveText('red');

  await createFlag(page, info, ns, keys.dark, true);
  await open(page, `/namespaces/${ns}/flags/${keys.dark}`, info);
  const threshold = await disclose(page.getByTestId('rollouts'), 'Add threshold rollout');
  await threshold.getByLabel('Percentage of entities').fill('40');
  await threshold.getByRole('button', { name: 'Add rollout' }).click();
  await expect(page.getByTestId('rollout')).toHaveCount(1);
  const segment = await disclose(page.getByTestId('rollouts'), 'Add segment rollout');
  await segment.getByLabel(`Pro customers ${keys.segment}`).check();
  await segment.getByLabel('Answer').selectOption('false');
  await segment.getByRole('button', { name: 'Add rollout' }).click();
  await expect(page.getByTestId('rollout')).toHaveCount(2);
}

/** What the console answers for a few entities and contexts. */
async function answers(page: Page, info: TestInfo, ns: string, keys: Keys): Promise<string[]> {
  const seen: string[] = [];
  for (const flag of [keys.color, keys.dark]) {
    for (const [entity, plan] of [['u1', 'pro'], ['u2', 'pro'], ['u3', 'pro'], ['u4', 'free'], ['u5', 'free']]) {
      await open(page, `/namespaces/${ns}/console?flag=${flag}&entity=${entity}&key1=plan&value1=${plan}`, info);
      const headline = await page.getByTestId('console-headline').textContent();
      const reason = await page.getByTestId('console-reason').textContent();
      seen.push(`${flag} ${entity} ${plan}: ${headline} (${reason})`);
    }
  }
  return seen;
}

/** Everything built is still listed. */
async function check(page: Page, info: TestInfo, ns: string, keys: Keys) {
  await open(page, `/namespaces/${ns}/flags?q=${keys.color.slice(0, -2)}`, info);
  await expect(page.getByTestId('flags').locator(`tr[data-flag="${keys.color}"]`)).toContainText('2');
  await open(page, `/namespaces/${ns}/flags/${keys.color}`, info);
  await expect(page.getByTestId('variants').locator('[data-variant]')).toHaveCount(2);
  await expect(page.getByTestId('rule-segments')).toHaveText([keys.segment]);
  await expect(page.getByTestId('rule').locator('ul.shares li')).toHaveText(['blue 70%', 'red 30%']);
  await open(page, `/namespaces/${ns}/flags/${keys.dark}`, info);
  await expect(page.getByTestId('rollout-summary')).toHaveText(['40% of entities → true', `segment ${keys.segment} → false`]);
  await open(page, `/namespaces/${ns}/segments`, info);
  await expect(page.getByTestId('segments').locator(`tr[data-segment="${keys.segment}"]`)).toContainText(keys.color);
  await open(page, `/namespaces/${ns}/segments/${keys.segment}`, info);
  await expect(page.getByTestId('constraint-summary')).toHaveText(['plan eq pro']);
}

async function editNamespace(page: Page, info: TestInfo, ns: string, name?: string, description?: string) {
  await open(page, '/settings/namespaces', info);
  const card = page.getByTestId(`namespace-${ns}`);
  const before = await card.locator('.badge', { hasText: 'version' }).textContent();
  if (name !== undefined) await card.getByLabel('Name').fill(name);
  if (description !== undefined) await card.getByLabel('Description').fill(description);
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(card.locator('.badge', { hasText: 'version' })).not.toHaveText(before!);
  if (name !== undefined) await expect(card.getByLabel('Name')).toHaveValue(name);
  if (description !== undefined) await expect(card.getByLabel('Description')).toHaveValue(description);
}

async function scenario(page: Page, info: TestInfo, ns: string) {
  const suffix = `${info.project.name}-${Date.now() % 100000}`;
  const keys = { color: `color-${suffix}`, dark: `dark-${suffix}`, segment: `pro-${suffix}` };
  await build(page, info, ns, keys);
  const before = await answers(page, info, ns, keys);
  expect(before.some((a) => a.includes('MATCH'))).toBe(true);
  await editNamespace(page, info, ns, `Renamed ${suffix}`);
  await check(page, info, ns, keys);
  await editNamespace(page, info, ns, undefined, `Described ${suffix}`);
  await check(page, info, ns, keys);
  await editNamespace(page, info, ns, `Both ${suffix}`, `Both changed ${suffix}`);
  await check(page, info, ns, keys);
  expect(await answers(page, info, ns, keys)).toEqual(before);
  await page.reload();
  await check(page, info, ns, keys);
  expect(await answers(page, info, ns, keys)).toEqual(before);
  return keys;
}

test('the seed scenario survives name and description edits of the default namespace', async ({ page, request }, info) => {
  test.setTimeout(180_000);
  const keys = await scenario(page, info, 'default');
  // Leave the shared default namespace as other tests (and Flipt's corpus) expect it.
  for (const flag of [keys.color, keys.dark]) expect((await request.delete(`/api/v1/namespaces/default/flags/${flag}`)).status()).toBe(200);
  expect((await request.delete(`/api/v1/namespaces/default/segments/${keys.segment}`)).status()).toBe(200);
  const restored = await request.put('/api/v1/namespaces/default', { data: { name: 'Default', description: 'Default namespace' } });
  expect(restored.status()).toBe(200);
});

test('the seed scenario survives name and description edits of a second namespace', async ({ page }, info) => {
  test.setTimeout(180_000);
  const ns = `second-${info.project.name}-${Date.now() % 100000}`;
  await open(page, '/settings/namespaces', info);
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Create namespace' }) });
  await form.getByLabel('Key').fill(ns);
  await form.getByLabel('Name').fill('Second');
  await form.getByRole('button', { name: 'Create namespace' }).click();
  await expect(page.getByTestId(`namespace-${ns}`)).toBeVisible();
  await scenario(page, info, ns);
});
