// The JWT and Kubernetes clients of build/testing/integration/integration.go. Flipt's CI signs
// their tokens with private keys it mounts into the test container; here the keys are made for
// the run (RSA 2048): the server is given the public half (JWT method) and a discovery service
// on 127.0.0.1 that publishes the other key pair's public half (Kubernetes method), and the
// tokens carry the same claims as Flipt's.
import { generateKeyPairSync, createSign } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SDK } from '../sdk.mjs';
import { freePort } from '../server.mjs';

const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');

function sign(privateKey, claims, kid) {
  const header = { alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) };
  const body = `${b64(header)}.${b64(claims)}`;
  const signature = createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url');
  return `${body}.${signature}`;
}

// Keys, the JWT method's public key file, and an OIDC discovery service for the Kubernetes
// method (issuer https://discover.svc, as Flipt's CI names it; Vexil checks the issuer the
// discovery document names).
export async function identities() {
  const jwt = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const k8s = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(join(tmpdir(), 'vexil-flipt-keys-'));
  const publicKeyFile = join(dir, 'jwt.pem');
  writeFileSync(publicKeyFile, jwt.publicKey.export({ type: 'spki', format: 'pem' }));
  const port = await freePort();
  const discoveryUrl = `http://127.0.0.1:${port}`;
  const jwk = { ...k8s.publicKey.export({ format: 'jwk' }), kid: 'k8s', use: 'sig', alg: 'RS256' };
  const discovery = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer: 'https://discover.svc', jwks_uri: `${discoveryUrl}/openid/v1/jwks`, id_token_signing_alg_values_supported: ['RS256'], response_types_supported: ['id_token'], subject_types_supported: ['public'] }));
    } else if (req.url === '/openid/v1/jwks') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise((r) => discovery.listen(port, '127.0.0.1', r));
  return {
    env: {
      VEXIL_AUTH_JWT_PUBLIC_KEY_FILE: publicKeyFile,
      VEXIL_AUTH_JWT_ISSUER: 'https://flipt.io',
      VEXIL_AUTH_KUBERNETES_DISCOVERY_URL: discoveryUrl,
    },
    jwtKey: jwt.privateKey,
    k8sKey: k8s.privateKey,
    async close() {
      await new Promise((r) => discovery.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// opts.JWTClient(t, WithRole, WithNamespace): `Authorization: JWT <token>` on every request,
// issuer https://flipt.io, three minutes of validity, role and namespace claims when given.
export function jwtClient(server, keys, { role = '', namespace = '' } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: 'https://flipt.io', iat: now, exp: now + 180 };
  if (role) claims['io.flipt.auth.role'] = role;
  if (namespace) claims['io.flipt.auth.namespace'] = namespace;
  return new SDK(server.url, undefined, `JWT ${sign(keys.jwtKey, claims)}`);
}

// opts.K8sClient(t, WithRole): a service-account token (the account named after the role,
// else "integration-test") that the Go SDK's Kubernetes provider exchanges at
// POST /auth/v1/method/kubernetes/serviceaccount before its first call, then sends the client
// token it gets as Bearer. A failed exchange is the call's error, as in the Go SDK.
export function k8sClient(server, keys, { role = '' } = {}) {
  const name = role || 'integration-test';
  const saToken = sign(keys.k8sKey, {
    exp: Math.floor(Date.now() / 1000) + 24 * 3600,
    iss: 'https://discover.svc',
    'kubernetes.io': {
      namespace: 'integration',
      pod: { name: 'integration-test-7d26f049-kdurb', uid: 'bd8299f9-c50f-4b76-af33-9d8e3ef2b850' },
      serviceaccount: { name, uid: '4f18914e-f276-44b2-aebd-27db1d8f8def' },
    },
  }, 'k8s');
  let exchanged;
  return new SDK(server.url, undefined, async () => {
    if (!exchanged) {
      const resp = await new SDK(server.url).auth().VerifyServiceAccount({ serviceAccountToken: saToken });
      exchanged = `Bearer ${resp.clientToken}`;
    }
    return exchanged;
  });
}

// Flipt's authz policy data (build/testing/integration.go) as Vexil's role rules, matched
// against the JWT role claim and the service account's name.
export const POLICY_RULES = 'admin=admin;editor=editor;viewer=viewer;viewer@default=default_viewer;viewer@production=production_viewer';
