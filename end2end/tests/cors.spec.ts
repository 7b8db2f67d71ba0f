// A web app on another origin evaluating in the browser, as Flipt's client SDK (the snapshot)
// and OFREP's web provider do, with a `client` token: allowed from an origin in
// cors_allowed_origins, blocked by the browser from any other (no CORS headers).
import { test, expect } from './fixtures';
import { createServer } from 'node:http';

const base = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${process.env.E2E_PORT}`;

function app(token: string, ns: string) {
  return `<!DOCTYPE html><title>app</title><body><script>
  (async () => {
    const out = {};
    const auth = { Authorization: 'Bearer ${token}' };
    try {
      const r = await fetch('${base}/internal/v1/evaluation/snapshot/namespace/${ns}', { headers: { ...auth, 'X-Flipt-Accept-Server-Version': '1.47.0' } });
      out.snapshot = r.status;
      out.etag = r.headers.get('ETag');
      out.flags = (await r.json()).flags.map((f) => f.key);
    } catch (e) { out.snapshot = 'blocked'; }
    try {
      const r = await fetch('${base}/ofrep/v1/evaluate/flags', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json', 'X-Flipt-Namespace': '${ns}' }, body: JSON.stringify({ context: { targetingKey: 'user-1' } }) });
      out.ofrep = r.status;
      out.values = (await r.json()).flags.map((f) => [f.key, f.value]);
    } catch (e) { out.ofrep = 'blocked'; }
    document.body.dataset.result = JSON.stringify(out);
  })();
  </script></body>`;
}

async function served(port: string, html: string, run: () => Promise<void>) {
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(Number(port), '127.0.0.1', resolve));
  try {
    await run();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

test.describe('CORS @hydrated', () => {
  test.use({ extraHTTPHeaders: {}, expectedFailures: [/CORS|Failed to fetch|ERR_FAILED/] });

  test('an allowed origin evaluates with a client token; another origin is blocked', async ({ page, request }) => {
    const ns = `cors-${Date.now()}`;
    const admin = { headers: { Authorization: `Bearer ${process.env.E2E_TOKEN}` } };
    const call = async (path: string, data: object) => {
      const reply = await request.post(path, { data, ...admin });
      expect(reply.status(), await reply.text()).toBe(200);
      return reply.json();
    };
    await call('/api/v1/namespaces', { key: ns, name: 'CORS' });
    await call(`/api/v1/namespaces/${ns}/flags`, { key: 'banner', name: 'Banner', type: 'BOOLEAN_FLAG_TYPE', enabled: true });
    const token = (await call('/auth/v1/method/token', { name: `web-${ns}`, role: 'client' })).clientToken;

    await served(process.env.E2E_CORS_PORT!, app(token, ns), async () => {
      await page.goto(`http://127.0.0.1:${process.env.E2E_CORS_PORT}/`);
      await expect(page.locator('body[data-result]')).toHaveCount(1);
      const result = JSON.parse((await page.locator('body').getAttribute('data-result'))!);
      expect(result.snapshot).toBe(200);
      expect(result.flags).toEqual(['banner']);
      expect(result.etag).toBeTruthy();
      expect(result.ofrep).toBe(200);
      expect(result.values).toEqual([['banner', true]]);
    });
    await served(process.env.E2E_CORS_DENIED_PORT!, app(token, ns), async () => {
      await page.goto(`http://127.0.0.1:${process.env.E2E_CORS_DENIED_PORT}/`);
      await expect(page.locator('body[data-result]')).toHaveCount(1);
      const result = JSON.parse((await page.locator('body').getAttribute('data-result'))!);
      expect(result).toEqual({ snapshot: 'blocked', ofrep: 'blocked' });
    });
  });
});
