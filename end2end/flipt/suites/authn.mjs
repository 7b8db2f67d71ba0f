// Port of build/testing/integration/authn/auth.go (TestAuthn) at Flipt v1.61.1, against the
// read-only suite's data set (Flipt's CI imports it first). The server runs with its token,
// JWT and Kubernetes methods on, as Flipt's CI configures Flipt (identity.mjs).
import { str } from '../harness.mjs';
import { Namespaces, otherNamespaceFrom, tokenClient, noAuthClient, attempt } from './common.mjs';
import { protoNow } from '../sdk.mjs';
import { identities, jwtClient, k8sClient } from './identity.mjs';
export { setup } from './readonly.mjs';

export const testName = 'TestAuthn';

let keys;
export async function prepare() {
  keys = await identities();
  // Flipt without authorization lets every identity in; here service accounts are readers
  // (what this suite checks is that they are authenticated).
  return { ...keys.env, VEXIL_AUTH_KUBERNETES_ROLES: 'viewer=*' };
}
export async function teardown() {
  await keys?.close();
}

export default async function TestAuthn(t, server) {
  const client = await tokenClient(t, server);
  const opts = {
    NoAuthClient: () => noAuthClient(server),
    TokenClient: (t, o) => tokenClient(t, server, o),
    K8sClient: async (t, o) => k8sClient(server, keys, o),
    JWTClient: async (t, o) => jwtClient(server, keys, o),
  };

  await t.run('http', async (t) => {
    await t.run('Authentication Methods', async (t) => {
      await t.run('List methods', async (t) => {
        t.log('List methods (ensure at-least 1).');
        const [methods, err] = await attempt(client.auth().ListAuthenticationMethods());
        t.require.NoError(err);
        t.assert.NotEmpty(methods);
      });

      await t.run('Get Self', async (t) => {
        const [authn, err] = await attempt(client.auth().GetAuthenticationSelf());
        t.require.NoError(err);
        t.assert.NotEmpty(authn.id);
      });

      for (const namespace of Namespaces) {
        await t.run(`InNamespace("${namespace.key}")`, async (t) => {
          await t.run('NoAuth', async (t) => {
            await cannotReadAnyIn(t, opts.NoAuthClient(t), namespace.key);
          });

          await t.run('StaticToken', async (t) => {
            // ensure we can do resource specific operations across namespaces
            await canReadAllIn(t, client, namespace.key);

            await t.run('CreateToken()', async (t) => {
              // namespaced scoped tokens can only create tokens
              // in the same namespace
              // this ensures that the scope is appropriate for that condition
              const [resp, err] = await attempt(client.auth().CreateToken({ name: 'Access Token', namespaceKey: namespace.key, description: 'Some Description' }));
              t.require.NoError(err);
              t.assert.NotEmpty(resp.clientToken);
              const metadata = resp.authentication?.metadata ?? {};
              t.assert.Equal('Access Token', str(metadata['io.flipt.auth.token.name']));
              t.assert.Equal('Some Description', str(metadata['io.flipt.auth.token.description']));
              if (namespace.key !== '') {
                t.assert.Equal(namespace.expected, str(metadata['io.flipt.auth.token.namespace']));
              } else {
                t.assert.NotContains(metadata, 'io.flipt.auth.token.namespace');
              }
            });

            // ensure we can do resource specific operations in scoped namespace
            const scopedClient = await opts.TokenClient(t, { namespace: namespace.key });
            await canReadAllIn(t, scopedClient, namespace.key);

            if (namespace.key !== '') {
              // ensure we exclude from reading in another namespace
              const otherNS = otherNamespaceFrom(namespace.expected);
              await t.run(`NamespaceScopedIn("${otherNS}")`, async (t) => {
                await cannotReadAnyIn(t, scopedClient, otherNS);
              });
            }
          });
        });

        await t.run('K8sClient', async (t) => {
          await canReadAllIn(t, await opts.K8sClient(t), namespace.key);
        });

        await t.run('JWTClient', async (t) => {
          await canReadAllIn(t, await opts.JWTClient(t), namespace.key);
        });
      }

      await t.run('Expire Self', async (t) => {
        let [, err] = await attempt(client.auth().ExpireAuthenticationSelf({ expiresAt: protoNow() }));
        t.require.NoError(err);

        t.log('Ensure token is no longer valid.');
        [, err] = await attempt(client.auth().GetAuthenticationSelf());
        t.require.True(err?.code !== undefined);
        t.assert.Equal('Unauthenticated', err?.code);
      });
    });
  });
}

// The ten calls of canReadAllIn / cannotReadAnyIn, with the same empty keys as Flipt's.
const readCalls = (ns) => [
  (s) => s.flipt().GetNamespace({ key: ns }),
  (s) => s.flipt().GetFlag({ namespaceKey: ns }),
  (s) => s.flipt().ListFlags({ namespaceKey: ns }),
  (s) => s.flipt().CreateVariant({ namespaceKey: ns }),
  (s) => s.flipt().GetRule({ namespaceKey: ns }),
  (s) => s.flipt().ListRules({ namespaceKey: ns }),
  (s) => s.flipt().GetRollout({ namespaceKey: ns }),
  (s) => s.flipt().ListRollouts({ namespaceKey: ns }),
  (s) => s.flipt().GetSegment({ namespaceKey: ns }),
  (s) => s.flipt().ListSegments({ namespaceKey: ns }),
];

async function canReadAllIn(t, client, namespace) {
  await t.run('CanReadAll', async (t) => {
    for (const call of readCalls(namespace)) assertIsAuthorized(t, (await attempt(call(client)))[1], true);
  });
}

async function cannotReadAnyIn(t, client, namespace) {
  await t.run('CannotReadAny', async (t) => {
    for (const call of readCalls(namespace)) assertIsAuthorized(t, (await attempt(call(client)))[1], false);
  });
}

// Go's status.Code(err): the gRPC code of a status error, Unknown for any other error.
const code = (err) => (err ? (err.code ?? 'Unknown') : 'OK');

function assertIsAuthorized(t, err, authorized) {
  if (!authorized) {
    t.assert.Equal('Unauthenticated', code(err), err?.message);
    return;
  }
  if (err) t.assert.NotEqual('Unauthenticated', code(err), err?.message);
}
