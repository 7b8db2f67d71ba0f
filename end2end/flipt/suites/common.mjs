// build/testing/integration/integration.go: the namespaces every suite runs in, and the
// clients it builds (TokenClient: a token created by the bootstrap token).
import { SDK } from '../sdk.mjs';

export const DefaultNamespace = 'default';
export const ProductionNamespace = 'production';

// {Key, Expected}: the key the request carries ("" means the default namespace) and the
// namespace the answer must name.
export const Namespaces = [
  { key: '', expected: DefaultNamespace },
  { key: DefaultNamespace, expected: DefaultNamespace },
  { key: ProductionNamespace, expected: ProductionNamespace },
];

export function otherNamespaceFrom(from) {
  const other = Namespaces.map((n) => n.expected).find((e) => e !== from);
  if (!other) throw new Error('we expected to be at-least one alternative');
  return other;
}

export const noAuthClient = (server) => new SDK(server.url);
export const bootstrapClient = (server) => new SDK(server.url, server.token);

// TokenClient(t, WithNamespace(ns), WithRole(role)): a token named after the test, created
// over the token method with the bootstrap token; `require.NoError` on its creation.
export async function tokenClient(t, server, { namespace = '', role = '' } = {}) {
  const metadata = role ? { 'io.flipt.auth.role': role } : {};
  let resp;
  try {
    resp = await bootstrapClient(server).auth().CreateToken({ name: t.name, namespaceKey: namespace, metadata });
  } catch (err) {
    t.require.NoError(err);
  }
  return new SDK(server.url, resp.clientToken);
}

export const namespaceIsDefault = (ns) => ns === '' || ns === 'default';

// Go's uuid.NewString().
export const uuid = () => crypto.randomUUID();

// `x, err := call()` as a pair, so a port reads like the Go it comes from.
export async function attempt(promise) {
  try {
    return [await promise, null];
  } catch (err) {
    if (err instanceof Error && 'code' in err) return [undefined, err];
    if (err instanceof Error) return [undefined, err];
    throw err;
  }
}
