// Port of build/testing/integration/snapshot/snapshot_test.go (TestSnapshot) at Flipt v1.61.1,
// against the read-only suite's data set.
import { goRequest } from '../sdk.mjs';
import { str } from '../harness.mjs';
import { Namespaces, bootstrapClient, attempt } from './common.mjs';
export { setup } from './readonly.mjs';

export const testName = 'TestSnapshot';

// opts.HTTPClient(t, ...): a plain http.Client whose requests carry a token created for the
// test (name, namespace scope and `io.flipt.auth.role` metadata as given).
async function httpClient(t, server, { namespace = '', role = '' } = {}) {
  const metadata = role ? { 'io.flipt.auth.role': role } : {};
  const [resp, err] = await attempt(bootstrapClient(server).auth().CreateToken({ name: t.name, namespaceKey: namespace, metadata }));
  t.require.NoError(err);
  return {
    get: (path, headers = {}) => goRequest(server.url, 'GET', path, { token: resp.clientToken, headers }),
  };
}

export default async function TestSnapshot(t, server) {
  await t.run('http', async (t) => {
    await t.run('Evaluation Data', async (t) => {
      for (const role of ['admin', 'editor', 'viewer']) {
        await t.run(`role "${role}"`, async (t) => {
          const client = await httpClient(t, server, { role });
          for (const namespace of Namespaces) {
            await t.run(`namespace "${namespace.expected}"`, (t) => testSnapshotForNamespace(t, client, namespace.expected));
          }
        });
      }

      await t.run('With Namespace Scoped Token', async (t) => {
        for (const namespace of Namespaces) {
          await t.run(`namespace "${namespace.expected}"`, async (t) => {
            const client = await httpClient(t, server, { namespace: namespace.expected, role: 'admin' });
            await testSnapshotForNamespace(t, client, namespace.expected);
          });
        }
      });
    });
  });
}

async function testSnapshotForNamespace(t, client, namespace) {
  t.log('Get snapshot for namespace.');
  let [resp, err] = await attempt(client.get(`/internal/v1/evaluation/snapshot/namespace/${namespace}`));
  t.require.NoError(err);
  t.require.NotNil(resp);
  t.assert.Equal(200, resp.status);

  // get etag from response
  const etag = str(resp.headers.etag);
  t.assert.NotEmpty(etag);
  t.assert.NotEmpty(resp.body.toString('utf8'));

  t.log('Get snapshot for namespace with etag/if-none-match.');
  [resp, err] = await attempt(client.get(`/internal/v1/evaluation/snapshot/namespace/${namespace}`, { 'If-None-Match': etag }));
  t.require.NoError(err);
  t.require.NotNil(resp);
  t.assert.Equal(304, resp.status);
}
