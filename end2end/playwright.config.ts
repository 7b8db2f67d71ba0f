// Playwright drives Debian's Chromium (never a downloaded browser) against the release server,
// started here on a free port with a fresh SQLite database, once with JavaScript enabled
// (hydrated dashboard) and once disabled (server-rendered pages only).
import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '..');

// Workers re-read this file; the values chosen by the main process travel in the environment.
const freePort = () =>
  execFileSync(process.execPath, [
    '-e',
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ])
    .toString()
    .trim();
// The server, the OpenID provider the sign-in tests start (end2end/oidc/provider.mjs), and the
// web app origins of the CORS test: one allowed, one not.
for (const name of ['E2E_PORT', 'E2E_OIDC_PORT', 'E2E_CORS_PORT', 'E2E_CORS_DENIED_PORT']) {
  if (!process.env[name]) process.env[name] = freePort();
}
if (!process.env.E2E_DATA_DIR) {
  process.env.E2E_DATA_DIR = mkdtempSync(join(tmpdir(), 'vexil-e2e-'));
}
// The server is bootstrapped with this admin token; every browser page and API request of the
// existing suites carries it as `Authorization: Bearer` (the dashboard accepts it as a
// sign-in). The access specs clear it to sign in through the page.
if (!process.env.E2E_TOKEN) {
  process.env.E2E_TOKEN = randomBytes(32).toString('base64url');
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
    extraHTTPHeaders: { Authorization: `Bearer ${process.env.E2E_TOKEN}` },
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
          VEXIL_LOG_LEVEL: process.env.E2E_SERVER_LOG_LEVEL ?? 'warn',
          VEXIL_BOOTSTRAP_TOKEN: process.env.E2E_TOKEN,
          VEXIL_AUTH_OIDC_PROVIDER: 'test',
          VEXIL_AUTH_OIDC_ISSUER: `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`,
          VEXIL_AUTH_OIDC_CLIENT_ID: 'vexil-e2e',
          VEXIL_AUTH_OIDC_CLIENT_SECRET: 'vexil-e2e-client-secret',
          VEXIL_AUTH_OIDC_ROLES: 'admin=alice@example.com;viewer=@example.com',
          VEXIL_CORS_ALLOWED_ORIGINS: `http://127.0.0.1:${process.env.E2E_CORS_PORT}`,
        },
      },
});
