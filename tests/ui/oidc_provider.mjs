// A local OpenID provider for the browser test: the npm package oidc-provider (a certified OpenID Connect
// implementation) with its development sign-in pages, where any login name and password sign in.
// Usage: node oidc_provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
// The account signed in as NAME has the subject NAME and the e-mail NAME@conclusio.test.
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false, // the ID token carries e-mail and name: Streamlit reads the ID token only
  cookies: { keys: ['conclusio-browser-test-only'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@conclusio.test`, email_verified: true, name: id };
      },
    };
  },
});

const server = provider.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
