// A `test` whose pages fail on any uncaught page error, console error, or HTTP response >= 400,
// so a broken asset or a failed hydration cannot pass unnoticed.
import { test as base, expect } from '@playwright/test';

export const test = base.extend<{ strictPage: void; expectedFailures: RegExp[] }>({
  /** Problems a test provokes on purpose (matched against the problem's text). */
  expectedFailures: [[], { option: true }],
  strictPage: [
    async ({ page, expectedFailures }, use) => {
      const problems: string[] = [];
      const report = (problem: string) => {
        if (!expectedFailures.some((pattern) => pattern.test(problem))) problems.push(problem);
      };
      page.on('pageerror', (error) => report(`page error: ${error.message}`));
      page.on('console', (message) => {
        // A failed load is reported below with its URL and status; the console's copy of it
        // names neither, so it is not counted twice.
        if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of \d+/.test(message.text())) {
          report(`console error: ${message.text()}`);
        }
      });
      page.on('response', (response) => {
        if (response.status() >= 400) report(`HTTP ${response.status()} ${response.url()}`);
      });
      await use();
      expect(problems, 'the page reported problems').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
