// Port of build/testing/integration/authz/auth.go (TestAuthz) at Flipt v1.61.1, against the
// read-only suite's data set, for the parts that map onto Vexil's built-in roles. Flipt runs it
// with a Rego policy over roles named in token metadata (`io.flipt.auth.role`); Vexil reads
// that key as its own role, so the policy's roles map as follows (README.md beside this port):
//   admin, editor, viewer  -> the role of that name, everywhere
//   <namespace>_viewer     -> viewer, scoped to that namespace (a token with a role: 403 outside)
// JWT and Kubernetes identities get their roles from `auth_jwt_roles` and
// `auth_kubernetes_roles`, set to the policy's data (identity.mjs), so they run unmapped.
// Not ported, because it does not map: a static token with no role (Vexil's token without a
// role is Flipt's full-access token, as the authn suite checks); skipped, saying so.
import { Namespaces, otherNamespaceFrom, tokenClient, attempt } from './common.mjs';
import { protoNow } from '../sdk.mjs';
import { identities, jwtClient, k8sClient, POLICY_RULES } from './identity.mjs';
export { setup } from './readonly.mjs';

export const testName = 'TestAuthz';

let keys;
export async function prepare() {
  keys = await identities();
  return { ...keys.env, VEXIL_AUTH_JWT_ROLES: POLICY_RULES, VEXIL_AUTH_KUBERNETES_ROLES: POLICY_RULES };
}
export async function teardown() {
  await keys?.close();
}

// Flipt's test-data role name -> the client options of Vexil's equivalent token.
function mapRole(role) {
  const scoped = /^(.+)_viewer$/.exec(role);
  if (scoped) return { role: 'viewer', namespace: scoped[1] };
  return { role };
}

export default async function TestAuthz(t, server) {
  const client = await tokenClient(t, server);
  const clients = [
    ['StaticToken', (t, { role } = {}) => (role ? tokenClient(t, server, mapRole(role)) : t.skip("a token without a role is Flipt's full-access token in Vexil (no policy engine)"))],
    ['JWT', async (t, o) => jwtClient(server, keys, o)],
    ['K8s', async (t, o) => k8sClient(server, keys, o)],
  ];

  await t.run('http', async (t) => {
    await t.run('Evaluation', async (t) => {
      await t.run('Boolean', async (t) => {
        const [, err] = await attempt(client.evaluation().Boolean({ flagKey: 'flag_boolean', context: { in_segment: 'segment_001' } }));
        t.require.NoError(err);
      });
      await t.run('Variant', async (t) => {
        const [, err] = await attempt(client.evaluation().Variant({ flagKey: 'flag_001', context: { in_segment: 'segment_001' } }));
        t.require.NoError(err);
      });
    });

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
          for (const [name, make] of clients) {
            await t.run(name, async (t) => {
              await t.run('NoRole', async (t) => {
                // ensure we cannot do any read specific operations across namespaces
                // with a token with no role
                const client = await make(t);
                await cannotReadAnyIn(t, client, namespace.key);
                await cannotWriteNamespaces(t, client);
                await cannotWriteNamespacedIn(t, client, namespace.key);
              });

              await t.run('Admin', async (t) => {
                // ensure admin can do all the things
                const client = await make(t, { role: 'admin' });
                await canReadAllIn(t, client, namespace.key);
                await canWriteNamespaces(t, client);
                await canWriteNamespacedIn(t, client, namespace.key);
              });

              await t.run('Editor', async (t) => {
                const client = await make(t, { role: 'editor' });
                // can read everywhere (including namespaces)
                await canReadAllIn(t, client, namespace.key);
                // cannot write namespaces
                await cannotWriteNamespaces(t, client);
                // but can write in namespaces
                await canWriteNamespacedIn(t, client, namespace.key);
              });

              await t.run('Viewer', async (t) => {
                const client = await make(t, { role: 'viewer' });
                // can read everywhere (including namespaces)
                await canReadAllIn(t, client, namespace.key);
                // cannot write namespaces
                await cannotWriteNamespaces(t, client);
                // cannot write in namespaces either
                await cannotWriteNamespacedIn(t, client, namespace.key);
              });

              await t.run('NamespacedViewer', async (t) => {
                // ensure we cannot do read specific operations across other namespaces
                // with the namespaced viewer role token
                const client = await make(t, { role: `${namespace.expected}_viewer` });
                // can read in designated namespace
                await canReadAllIn(t, client, namespace.key);
                // cannot read in other namespace
                await cannotReadAnyIn(t, client, otherNamespaceFrom(namespace.expected));
                // cannot write namespaces
                await cannotWriteNamespaces(t, client);
                // cannot write in namespaces either
                await cannotWriteNamespacedIn(t, client, namespace.key);
              });
            });
          }
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

// Go's fmt.Sprintf("%x", rand.Int63()).
const randomKey = () => (BigInt.asUintN(63, BigInt(Math.floor(Math.random() * 2 ** 53)) * 1024n + BigInt(Math.floor(Math.random() * 1024)))).toString(16);

const readCalls = (ns) => [
  (s) => s.flipt().GetNamespace({ key: ns }),
  (s) => s.flipt().GetFlag({ namespaceKey: ns, key: 'flag' }),
  (s) => s.flipt().ListFlags({ namespaceKey: ns }),
  (s) => s.flipt().GetRule({ namespaceKey: ns, flagKey: 'flag', id: 'id' }),
  (s) => s.flipt().ListRules({ namespaceKey: ns, flagKey: 'flag' }),
  (s) => s.flipt().GetRollout({ namespaceKey: ns, flagKey: 'flag' }),
  (s) => s.flipt().ListRollouts({ namespaceKey: ns, flagKey: 'flag' }),
  (s) => s.flipt().GetSegment({ namespaceKey: ns, key: 'segment' }),
  (s) => s.flipt().ListSegments({ namespaceKey: ns }),
];

const namespaceCalls = (namespace) => [
  (s) => s.flipt().CreateNamespace({ key: namespace, name: namespace }),
  (s) => s.flipt().UpdateNamespace({ key: namespace, name: namespace }),
  (s) => s.flipt().DeleteNamespace({ key: namespace }),
];

const namespacedWrites = (namespace, flag, segment, withDeleteRollout) => [
  (s) => s.flipt().CreateFlag({ namespaceKey: namespace, key: flag }),
  (s) => s.flipt().UpdateFlag({ namespaceKey: namespace, key: flag }),
  (s) => s.flipt().CreateVariant({ namespaceKey: namespace, flagKey: flag, key: flag }),
  (s) => s.flipt().UpdateVariant({ namespaceKey: namespace, id: 'abcdef' }),
  (s) => s.flipt().CreateSegment({ namespaceKey: namespace, key: segment }),
  (s) => s.flipt().UpdateSegment({ namespaceKey: namespace, key: segment }),
  (s) => s.flipt().CreateConstraint({ namespaceKey: namespace, segmentKey: segment }),
  (s) => s.flipt().UpdateConstraint({ namespaceKey: namespace, id: 'abcdef' }),
  (s) => s.flipt().CreateRule({ namespaceKey: namespace, flagKey: flag, segmentKey: segment }),
  (s) => s.flipt().UpdateRule({ namespaceKey: namespace, id: 'abcdef' }),
  (s) => s.flipt().OrderRules({ namespaceKey: namespace, ruleIds: ['acdef'] }),
  (s) => s.flipt().CreateRollout({ namespaceKey: namespace, flagKey: flag }),
  (s) => s.flipt().UpdateRollout({ namespaceKey: namespace, id: 'abcdef' }),
  (s) => s.flipt().OrderRollouts({ namespaceKey: namespace, rolloutIds: ['acdef'] }),
  // deletes
  (s) => s.flipt().DeleteFlag({ namespaceKey: namespace, key: flag }),
  (s) => s.flipt().DeleteVariant({ namespaceKey: namespace, id: 'abcdef' }),
  (s) => s.flipt().DeleteSegment({ namespaceKey: namespace, key: segment }),
  (s) => s.flipt().DeleteConstraint({ namespaceKey: namespace, id: 'abcdef' }),
  (s) => s.flipt().DeleteRule({ namespaceKey: namespace, id: 'abcdef' }),
  // canWriteNamespacedIn has no DeleteRollout; cannotWriteNamespacedIn has.
  ...(withDeleteRollout ? [(s) => s.flipt().DeleteRollout({ namespaceKey: namespace, id: 'abcdef' })] : []),
];

async function each(t, client, calls, authorized) {
  for (const call of calls) assertIsAuthorized(t, (await attempt(call(client)))[1], authorized);
}

const canReadAllIn = (t, c, ns) => t.run('CanReadAll', (t) => each(t, c, readCalls(ns), true));
const cannotReadAnyIn = (t, c, ns) => t.run('CannotReadAny', (t) => each(t, c, readCalls(ns), false));
const canWriteNamespaces = (t, c) => t.run('CanWriteNamespaces', (t) => each(t, c, namespaceCalls(randomKey()), true));
const cannotWriteNamespaces = (t, c) => t.run('CannotWriteNamespaces', (t) => each(t, c, namespaceCalls(randomKey()), false));
const canWriteNamespacedIn = (t, c, ns) => t.run('CanWriteNamespacedIn', (t) => each(t, c, namespacedWrites(ns, randomKey(), randomKey(), false), true));
const cannotWriteNamespacedIn = (t, c, ns) => t.run('CannotWriteNamespacedIn', (t) => each(t, c, namespacedWrites(ns, randomKey(), randomKey(), true), false));

// Go's status.Code(err) of the wrapped error: the gRPC code, Unknown for any other error
// (Flipt's calls wrap even a nil error, so an allowed call is never OK, only never refused).
const code = (err) => err?.code ?? 'Unknown';

function assertIsAuthorized(t, err, authorized) {
  if (!authorized) {
    t.assert.Equal('PermissionDenied', code(err), err?.message);
    return;
  }
  t.assert.NotEqual('Unauthenticated', code(err), err?.message);
  t.assert.NotEqual('PermissionDenied', code(err), err?.message);
}
