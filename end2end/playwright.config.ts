// Playwright drives Debian's Chromium (never a downloaded browser) against the release server,
// started here on a free port with a fresh SQLite database, once with JavaScript enabled
// (hydrated dashboard) and once disabled (server-rendered pages only).
import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '..');

// Workers re-read this file; the values chosen by the main process travel in the environment.
if (!process.env.E2E_PORT) {
  process.env.E2E_PORT = execFileSync(process.execPath, [
    '-e',
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ])
    .toString()
    .trim();
}
if (!process.env.E2E_DATA_DIR) {
  process.env.E2E_DATA_DIR = mkdtempSync(join(tmpdir(), 'vexil-e2e-'));
}
const port = process.env.E2E_PORT;
const baseURL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${port}`;
const serverBin = process.env.E2E_SERVER_BIN ?? join(repo, 'target/release/vexil');

export default defineConfig({
  forbidOnly: true,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'js-enabled', testDir: './tests', use: { javaScriptEnabled: true }, grepInvert: /@nojs/ },
    { name: 'js-disabled', testDir: './tests', use: { javaScriptEnabled: false }, grepInvert: /@hydrated/ },
    // Flipt's own SDKs as real clients of the API; no browser.
    { name: 'clients', testDir: './clients' },
  ],
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        command: `"${serverBin}" serve`,
        cwd: repo,
        url: `${baseURL}/health`,
        reuseExistingServer: false,
        timeout: 60_000,
        stdout: 'pipe',
        stderr: 'pipe',
        env: {
          VEXIL_LISTEN: `127.0.0.1:${port}`,
          VEXIL_DATABASE_URL: `sqlite://${process.env.E2E_DATA_DIR}/vexil.db`,
          VEXIL_SITE_ROOT: join(repo, 'target/site'),
          VEXIL_LOG_LEVEL: 'warn',
        },
      },
});
