// A real OpenID provider for the sign-in tests: panva's oidc-provider (OpenID-certified), on
// 127.0.0.1 only, with its development login pages (any address as the user name, any
// password). Usage: node provider.mjs PORT REDIRECT_URI CLIENT_ID CLIENT_SECRET
// Prints "ready" once it listens.
import Provider from 'oidc-provider';

const [port, redirectUri, clientId, clientSecret] = process.argv.slice(2);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri] }],
  // The user name typed on the login page is the account; it is also its email address.
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, email: sub, email_verified: true, name: sub.split('@')[0] };
      },
    };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Put the scope's claims in the ID token, which is all a relying party like Vexil reads.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
});
// Browsers ask every site for its icon; this one has none to give, and says so without a 404.
provider.use(async (ctx, next) => {
  if (ctx.path === '/favicon.ico') {
    ctx.status = 204;
    return;
  }
  await next();
});
// Quiet: the development-mode warnings are expected here.
provider.on('server_error', (_ctx, error) => console.error(error));
provider.listen(Number(port), '127.0.0.1', () => console.log('ready'));
