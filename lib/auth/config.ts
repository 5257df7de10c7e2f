import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { db } from '../db';
import { verifyPassword } from './password';
import { clearAccountFailures, recordSignInFailure, signInBlockedFor } from './limiter';
import { CLIENT_ADDRESS_HEADER } from './client-address';
import { recordAudit } from '../audit';

export class RateLimited extends CredentialsSignin {
  code = 'rate_limited';
}
export class BadCredentials extends CredentialsSignin {
  code = 'bad_credentials';
}

export const SESSION_MAX_AGE_S = Number(process.env.SESSION_MAX_AGE_HOURS || 8) * 3600;

export const oidcEnabled = !!(process.env.OIDC_ISSUER && process.env.OIDC_CLIENT_ID && process.env.OIDC_CLIENT_SECRET);
export const oidcName = process.env.OIDC_NAME || 'Single sign-on';

const providers: NextAuthConfig['providers'] = [
  Credentials({
    id: 'password',
    credentials: { email: { type: 'email' }, password: { type: 'password' } },
    async authorize(credentials, request) {
      const email = String(credentials?.email ?? '')
        .trim()
        .toLowerCase();
      const password = String(credentials?.password ?? '');
      const address = request.headers.get(CLIENT_ADDRESS_HEADER);
      if (!email || !password) throw new BadCredentials();
      if ((await signInBlockedFor(email, address)) > 0) throw new RateLimited();
      const user = await db.user.findUnique({ where: { email } });
      const ok = await verifyPassword(password, user?.passwordHash);
      if (!ok || !user || !user.active) {
        await recordSignInFailure(email, address);
        throw new BadCredentials();
      }
      await clearAccountFailures(email);
      await db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
        await recordAudit(
          tx,
          {
            actor: { id: user.id, email: user.email, name: user.name, role: user.role, organizationIds: [] },
            clientAddress: address,
          },
          { action: 'user.signin', targetType: 'user', targetId: user.email, summary: 'signed in with password' },
        );
      });
      return { id: user.id, email: user.email, name: user.name };
    },
  }),
];

if (oidcEnabled) {
  providers.push({
    id: 'oidc',
    name: oidcName,
    type: 'oidc',
    issuer: process.env.OIDC_ISSUER,
    clientId: process.env.OIDC_CLIENT_ID,
    clientSecret: process.env.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: 'openid email profile' } },
    checks: ['pkce', 'state'],
    // Conformant providers put scope claims (email) in the userinfo answer, not always in the ID
    // token: read the profile from userinfo, which every provider fills.
    idToken: false,
  });
}

export const authConfig: NextAuthConfig = {
  trustHost: true,
  secret: process.env.AUTH_SECRET,
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: '/signin', error: '/signin' },
  providers,
  logger: {
    // next-auth logs the thrown CredentialsSignin as an error: a wrong password is not one.
    error(error) {
      // Nor is an expired or foreign session cookie: the caller is simply signed out.
      const type = (error as { type?: string }).type;
      if (error instanceof CredentialsSignin || type === 'CredentialsSignin' || type === 'JWTSessionError') return;
      // Auth.js wraps the real failure (e.g. the provider's answer) in `cause.err`.
      const cause = (error as { cause?: { err?: unknown } }).cause?.err;
      console.error(
        `[auth] ${error.name}: ${error.message}${cause instanceof Error ? ` (${cause.name}: ${cause.message})` : ''}`,
      );
    },
    warn() {},
  },
  callbacks: {
    async signIn({ account, profile }) {
      if (account?.provider !== 'oidc') return true;
      // OpenID Connect users are mapped by email onto accounts an admin created or invited.
      const email = typeof profile?.email === 'string' ? profile.email.trim().toLowerCase() : '';
      if (!email || profile?.email_verified === false) return '/signin?error=OidcNoEmail';
      const user = await db.user.findUnique({ where: { email } });
      if (!user || !user.active) return '/signin?error=OidcUnknown';
      await db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
        await recordAudit(
          tx,
          {
            actor: { id: user.id, email: user.email, name: user.name, role: user.role, organizationIds: [] },
            clientAddress: null,
          },
          { action: 'user.signin', targetType: 'user', targetId: user.email, summary: `signed in with ${oidcName}` },
        );
      });
      return true;
    },
    async jwt({ token, user, account, profile }) {
      if (account?.provider === 'oidc' && typeof profile?.email === 'string') {
        const u = await db.user.findUnique({
          where: { email: profile.email.trim().toLowerCase() },
          select: { id: true },
        });
        token.uid = u?.id;
      } else if (user?.id) {
        token.uid = user.id;
      }
      return token;
    },
    async session({ session, token }) {
      // Only the id travels in the cookie; role, organizations and "active" are read fresh per request.
      return { ...session, userId: typeof token.uid === 'string' ? token.uid : undefined };
    },
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
