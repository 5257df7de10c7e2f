// A real OpenID Connect provider on 127.0.0.1 for the sign-in tests (oidc-provider, the
// certified implementation). Its development login form accepts any login; the login is used as
// the account's email, so a test signs in as whichever email it types.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 3988);
const appUrl = process.env.APP_URL || 'http://127.0.0.1:3987';
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID || 'scs-km-e2e',
      client_secret: process.env.OIDC_CLIENT_SECRET || 'e2e-oidc-client-secret',
      redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id.toLowerCase(), email_verified: true, name: id };
      },
    };
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['e2e-cookie-signing-key'] },
});
provider.proxy = false;
provider.use(async (ctx, next) => {
  await next();
  if (process.env.OIDC_DEBUG) console.error('oidc', ctx.method, ctx.path, JSON.stringify(ctx.oidc?.params ?? {}));
});
// Refusals are printed, so a failing sign-in test shows the provider's side of the story.
const refused =
  (event: string) => (_ctx: unknown, err: Error & { error_description?: string; error_detail?: string }) =>
    console.error(`oidc-provider ${event}: ${err.message} ${err.error_description ?? ''} ${err.error_detail ?? ''}`);
provider.on('grant.error', refused('grant.error'));
provider.on('server_error', refused('server_error'));
provider.on('authorization.error', refused('authorization.error'));
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
for (const s of ['SIGTERM', 'SIGINT'] as const) process.on(s, () => process.exit(0));
