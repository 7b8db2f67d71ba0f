// OpenFeature's web provider (@openfeature/ofrep-web-provider 0.4.3, unmodified, loaded from
// node_modules as ES modules) in a page on another origin allowed by cors_allowed_origins, with
// a `client` token and change detection by server-sent events: a flag changed through the API
// changes the value the page shows, without a reload or a focus change. The event stream's URL
// is the one the bulk answer advertised: it carries its own credential, never the token.
import { test, expect } from './fixtures';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';

const base = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${process.env.E2E_PORT}`;
const modules = join(__dirname, '..', 'node_modules');

// Bare specifiers → files under /m/ (node_modules); the web provider's own ofrep-core is nested.
const importMap = {
  imports: {
    '@openfeature/web-sdk': '/m/@openfeature/web-sdk/dist/esm/index.js',
    '@openfeature/core': '/m/@openfeature/core/dist/esm/index.js',
    '@openfeature/ofrep-web-provider': '/m/@openfeature/ofrep-web-provider/index.esm.js',
  },
  scopes: {
    '/m/@openfeature/ofrep-web-provider/': {
      '@openfeature/ofrep-core': '/m/@openfeature/ofrep-web-provider/node_modules/@openfeature/ofrep-core/index.esm.js',
    },
  },
};

function page(token: string, ns: string) {
  return `<!DOCTYPE html><title>web app</title>
<script type="importmap">${JSON.stringify(importMap)}</script>
<body><output id="banner">loading</output><script type="module">
  import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
  import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
  const provider = new OFREPWebProvider({
    baseUrl: '${base}',
    headers: [['Authorization', 'Bearer ${token}'], ['X-Flipt-Namespace', '${ns}']],
    changeDetection: 'sse',
  });
  await OpenFeature.setContext({ targetingKey: 'user-1' });
  await OpenFeature.setProviderAndWait(provider);
  const client = OpenFeature.getClient();
  const show = () => {
    const shown = document.getElementById('banner');
    shown.textContent = String(client.getBooleanValue('banner', false));
    shown.dataset.updates = String(Number(shown.dataset.updates ?? 0) + 1);
  };
  show();
  client.addHandler(ProviderEvents.ConfigurationChanged, show);
</script></body>`;
}

async function served(port: string, html: string, run: () => Promise<void>) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?')[0]);
    if (path.startsWith('/m/')) {
      const file = normalize(join(modules, path.slice(3)));
      if (!file.startsWith(modules)) {
        response.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(file);
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
      } catch {
        response.writeHead(404).end();
      }
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(Number(port), '127.0.0.1', resolve));
  try {
    await run();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test.describe('OFREP web provider @hydrated', () => {
  test.use({ extraHTTPHeaders: {} });

  test('a page on another origin follows a flag change by server-sent events', async ({ page: browser, request }) => {
    const ns = `ofrep-web-${Date.now()}`;
    const admin = { headers: { Authorization: `Bearer ${process.env.E2E_TOKEN}` } };
    const call = async (method: 'post' | 'put', path: string, data: object) => {
      const reply = await request[method](path, { data, ...admin });
      expect(reply.status(), await reply.text()).toBe(200);
      return reply.json();
    };
    await call('post', '/api/v1/namespaces', { key: ns, name: 'OFREP web' });
    await call('post', `/api/v1/namespaces/${ns}/flags`, { key: 'banner', name: 'Banner', type: 'BOOLEAN_FLAG_TYPE', enabled: true });
    const token = (await call('post', '/auth/v1/method/token', { name: `web-${ns}`, role: 'client' })).clientToken;

    const streams: { url: string; authorization?: string }[] = [];
    browser.on('request', (r) => {
      if (r.url().includes('/ofrep/v1/_stream/')) streams.push({ url: r.url(), authorization: r.headers()['authorization'] });
    });
    await served(process.env.E2E_CORS_PORT!, page(token, ns), async () => {
      await browser.goto(`http://127.0.0.1:${process.env.E2E_CORS_PORT}/`);
      const banner = browser.locator('#banner');
      await expect(banner).toHaveText('true');
      await expect.poll(() => streams.length, { message: 'the provider opens the advertised event stream' }).toBeGreaterThan(0);
      expect(streams[0].url).toContain(`/ofrep/v1/_stream/default/${ns}/events?credential=`);
      expect(streams[0].url).not.toContain(token);
      expect(streams[0].authorization).toBeUndefined();

      // Nothing but the event can tell the page: no polling (pollInterval 0), no focus change.
      await call('put', `/api/v1/namespaces/${ns}/flags/banner`, { name: 'Banner', enabled: false });
      await expect(banner).toHaveText('false', { timeout: 5_000 });
      await call('put', `/api/v1/namespaces/${ns}/flags/banner`, { name: 'Banner', enabled: true });
      await expect(banner).toHaveText('true', { timeout: 5_000 });
      expect(streams.length, 'one stream, kept open').toBe(1);
    });
  });
});
