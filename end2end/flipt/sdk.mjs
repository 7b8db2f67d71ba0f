// Flipt's Go SDK over HTTP (go.flipt.io/flipt/sdk/go/http at v1.61.1), as the wire sees it:
// the same method, path and query for every call (GETs always carry their paging and
// `reference` parameters, even empty; the namespace falls back to `default` only where the
// Go SDK does so), request bodies as protojson writes them (zero values left out, enums by
// name) with no Content-Type, the headers Go's net/http sends, and an answer that is not
// 200 turned into the error text Go's gRPC status package prints:
// `rpc error: code = NotFound desc = ...`.
import http from 'node:http';
import zlib from 'node:zlib';

const CODES = [
  'OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists',
  'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange',
  'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated',
];

export class StatusError extends Error {
  constructor(code, desc) {
    super(`rpc error: code = ${CODES[code] ?? `Code(${code})`} desc = ${desc}`);
    this.code = CODES[code] ?? `Code(${code})`;
    this.desc = desc;
  }
}

// protojson.Marshal: proto3 scalars at their zero value, empty lists and empty maps are left
// out; a message field that is set stays, even when empty. `context` and `metadata` are maps.
const MAPS = new Set(['context', 'metadata']);
export function protojson(value) {
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null || v === '' || v === 0 || v === false) continue;
    if (Array.isArray(v)) {
      if (v.length) out[k] = v.map((x) => (x && typeof x === 'object' ? protojson(x) : x));
      continue;
    }
    if (typeof v === 'object') {
      if (MAPS.has(k)) {
        if (Object.keys(v).length) out[k] = v;
      } else out[k] = protojson(v);
      continue;
    }
    out[k] = v;
  }
  return out;
}

// url.Values.Encode(): keys sorted, spaces as '+'.
function encode(values) {
  const params = new URLSearchParams();
  for (const k of Object.keys(values).sort()) params.append(k, values[k]);
  return params.toString();
}

// One request as Go's http.Client makes it; resolves to {status, headers, body (Buffer)}.
export function goRequest(base, method, path, { query, body, token, headers: extra = {} } = {}) {
  const url = new URL(base);
  const headers = { 'User-Agent': 'Go-http-client/1.1', ...extra, 'Accept-Encoding': 'gzip' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    headers['Content-Length'] = String(payload.length);
  }
  const target = path + (query === undefined ? '' : `?${encode(query)}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path: target, headers, setHost: true },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let data = Buffer.concat(chunks);
          if (res.headers['content-encoding'] === 'gzip') data = zlib.gunzipSync(data);
          resolve({ status: res.statusCode, headers: res.headers, body: data });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${target}: no answer in 30 s`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

// checkResponse: anything but 200 is a google.rpc.Status body (unknown fields are an error).
function check(res, method, path) {
  if (res.status === 200) return;
  let status;
  try {
    status = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new Error(`proto: syntax error (${method} ${path} answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)})`);
  }
  const unknown = Object.keys(status).filter((k) => !['code', 'message', 'details'].includes(k));
  if (unknown.length) throw new Error(`proto: (line 1:2): unknown field "${unknown[0]}"`);
  if (!status.code) throw new Error(`${method} ${path} answered HTTP ${res.status} with status code OK`);
  throw new StatusError(status.code, status.message ?? '');
}

const ns = (key) => (key ? key : 'default');
const paging = (v, offset = true) => ({
  limit: String(v.limit ?? 0),
  ...(offset ? { offset: String(v.offset ?? 0) } : {}),
  pageToken: v.pageToken ?? '',
  reference: v.reference ?? '',
});
const ref = (v) => ({ reference: v.reference ?? '' });

export class SDK {
  // `token`: a client token sent as `Bearer`; `authorization`: a whole Authorization value
  // (the JWT provider's `JWT <token>`), or a function giving one before each call (the
  // Kubernetes provider, which exchanges its service account token first).
  constructor(base, token, authorization) {
    this.base = base;
    this.token = token;
    this.authorization = authorization;
  }

  async call(method, path, opts = {}) {
    const authorization = typeof this.authorization === 'function' ? await this.authorization() : this.authorization;
    const headers = authorization ? { Authorization: authorization } : {};
    const res = await goRequest(this.base, method, path, { ...opts, token: this.token, headers });
    check(res, method, path);
    return opts.raw ? res : JSON.parse(res.body.toString('utf8') || '{}');
  }

  post(path, v) { return this.call('POST', path, { body: protojson(v) }); }
  put(path, v) { return this.call('PUT', path, { body: protojson(v) }); }
  async del(path, query) { await this.call('DELETE', path, { query }); }

  flipt() {
    const c = this;
    return {
      Evaluate: (v) => c.post(`/api/v1/namespaces/${v.namespaceKey ?? ''}/evaluate`, v),
      BatchEvaluate: (v) => c.post(`/api/v1/namespaces/${v.namespaceKey ?? ''}/batch-evaluate`, v),
      GetNamespace: (v) => c.call('GET', `/api/v1/namespaces/${ns(v.key)}`, { query: ref(v) }),
      ListNamespaces: (v) => c.call('GET', '/api/v1/namespaces', { query: paging(v) }),
      CreateNamespace: (v) => c.post('/api/v1/namespaces', v),
      UpdateNamespace: (v) => c.put(`/api/v1/namespaces/${v.key ?? ''}`, v),
      DeleteNamespace: (v) => c.del(`/api/v1/namespaces/${ns(v.key)}`, { force: String(!!v.force) }),
      GetFlag: (v) => c.call('GET', `/api/v1/namespaces/${ns(v.namespaceKey)}/flags/${v.key ?? ''}`, { query: ref(v) }),
      ListFlags: (v) => c.call('GET', `/api/v1/namespaces/${ns(v.namespaceKey)}/flags`, { query: paging(v) }),
      CreateFlag: (v) => c.post(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags`, v),
      UpdateFlag: (v) => c.put(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.key ?? ''}`, v),
      DeleteFlag: (v) => c.del(`/api/v1/namespaces/${ns(v.namespaceKey)}/flags/${v.key ?? ''}`),
      CreateVariant: (v) => c.post(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.flagKey ?? ''}/variants`, v),
      UpdateVariant: (v) => c.put(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.flagKey ?? ''}/variants/${v.id ?? ''}`, v),
      DeleteVariant: (v) => c.del(`/api/v1/namespaces/${ns(v.namespaceKey)}/flags/${v.flagKey ?? ''}/variants/${v.id ?? ''}`),
      GetRule: (v) => c.call('GET', `/api/v1/namespaces/${ns(v.namespaceKey)}/flags/${v.flagKey ?? ''}/rules/${v.id ?? ''}`, { query: ref(v) }),
      ListRules: (v) => c.call('GET', `/api/v1/namespaces/${ns(v.namespaceKey)}/flags/${v.flagKey ?? ''}/rules`, { query: paging(v) }),
      CreateRule: (v) => c.post(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.flagKey ?? ''}/rules`, v),
      UpdateRule: (v) => c.put(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.flagKey ?? ''}/rules/${v.id ?? ''}`, v),
      OrderRules: async (v) => { await c.put(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.flagKey ?? ''}/rules/order`, v); },
      DeleteRule: (v) => c.del(`/api/v1/namespaces/${ns(v.namespaceKey)}/flags/${v.flagKey ?? ''}/rules/${v.id ?? ''}`),
      GetRollout: (v) => c.call('GET', `/api/v1/namespaces/${ns(v.namespaceKey)}/flags/${v.flagKey ?? ''}/rollouts/${v.id ?? ''}`, { query: ref(v) }),
      ListRollouts: (v) => c.call('GET', `/api/v1/namespaces/${ns(v.namespaceKey)}/flags/${v.flagKey ?? ''}/rollouts`, { query: paging(v, false) }),
      CreateRollout: (v) => c.post(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.flagKey ?? ''}/rollouts`, v),
      UpdateRollout: (v) => c.put(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.flagKey ?? ''}/rollouts/${v.id ?? ''}`, v),
      DeleteRollout: (v) => c.del(`/api/v1/namespaces/${ns(v.namespaceKey)}/flags/${v.flagKey ?? ''}/rollouts/${v.id ?? ''}`),
      OrderRollouts: async (v) => { await c.put(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.flagKey ?? ''}/rollouts/order`, v); },
      CreateDistribution: (v) => c.post(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.flagKey ?? ''}/rules/${v.ruleId ?? ''}/distributions`, v),
      UpdateDistribution: (v) => c.put(`/api/v1/namespaces/${v.namespaceKey ?? ''}/flags/${v.flagKey ?? ''}/rules/${v.ruleId ?? ''}/distributions/${v.id ?? ''}`, v),
      DeleteDistribution: (v) => c.del(`/api/v1/namespaces/${ns(v.namespaceKey)}/flags/${v.flagKey ?? ''}/rules/${v.ruleId ?? ''}/distributions/${v.id ?? ''}`, { variantId: v.variantId ?? '' }),
      GetSegment: (v) => c.call('GET', `/api/v1/namespaces/${ns(v.namespaceKey)}/segments/${v.key ?? ''}`, { query: ref(v) }),
      ListSegments: (v) => c.call('GET', `/api/v1/namespaces/${ns(v.namespaceKey)}/segments`, { query: paging(v) }),
      CreateSegment: (v) => c.post(`/api/v1/namespaces/${v.namespaceKey ?? ''}/segments`, v),
      UpdateSegment: (v) => c.put(`/api/v1/namespaces/${v.namespaceKey ?? ''}/segments/${v.key ?? ''}`, v),
      DeleteSegment: (v) => c.del(`/api/v1/namespaces/${ns(v.namespaceKey)}/segments/${v.key ?? ''}`),
      CreateConstraint: (v) => c.post(`/api/v1/namespaces/${v.namespaceKey ?? ''}/segments/${v.segmentKey ?? ''}/constraints`, v),
      UpdateConstraint: (v) => c.put(`/api/v1/namespaces/${v.namespaceKey ?? ''}/segments/${v.segmentKey ?? ''}/constraints/${v.id ?? ''}`, v),
      DeleteConstraint: (v) => c.del(`/api/v1/namespaces/${ns(v.namespaceKey)}/segments/${v.segmentKey ?? ''}/constraints/${v.id ?? ''}`),
    };
  }

  evaluation() {
    const c = this;
    return {
      Boolean: (v) => c.post('/evaluate/v1/boolean', v),
      Variant: (v) => c.post('/evaluate/v1/variant', v),
      Batch: (v) => c.post('/evaluate/v1/batch', v),
    };
  }

  auth() {
    const c = this;
    return {
      ListAuthenticationMethods: () => c.call('GET', '/auth/v1/method'),
      GetAuthenticationSelf: () => c.call('GET', '/auth/v1/self'),
      GetAuthentication: (v) => c.call('GET', `/auth/v1/tokens/${v.id ?? ''}`),
      ListAuthentications: (v) => c.call('GET', '/auth/v1/tokens', { query: { method: v.method ?? 'METHOD_NONE', limit: String(v.limit ?? 0), pageToken: v.pageToken ?? '' } }),
      DeleteAuthentication: (v) => c.del(`/auth/v1/tokens/${v.id ?? ''}`),
      ExpireAuthenticationSelf: async (v) => { await c.call('PUT', '/auth/v1/self/expire', { query: { expiresAt: v.expiresAt } }); },
      CreateToken: (v) => c.post('/auth/v1/method/token', v),
      VerifyServiceAccount: (v) => c.post('/auth/v1/method/kubernetes/serviceaccount', v),
    };
  }

  // The metadata service answers raw bodies (google.api.HttpBody): content type and data.
  meta() {
    const c = this;
    const body = async (path) => {
      const res = await c.call('GET', path, { raw: true });
      return { contentType: res.headers['content-type'] ?? '', data: res.body };
    };
    return { GetInfo: () => body('/meta/info'), GetConfiguration: () => body('/meta/config') };
  }
}

// flipt.Now() as protojson writes a Timestamp: UTC, nanosecond digits trimmed to 0/3/6/9.
export function protoNow() {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, (_, ms) => (ms === '000' ? 'Z' : `.${ms}Z`));
}
