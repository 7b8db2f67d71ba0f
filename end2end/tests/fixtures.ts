// A `test` whose pages fail on any uncaught page error, console error, or HTTP response >= 400,
// so a broken asset or a failed hydration cannot pass unnoticed.
import { test as base, expect } from '@playwright/test';

export const test = base.extend<{ strictPage: void }>({
  strictPage: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
      });
      await use();
      expect(problems, 'the page reported problems').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
