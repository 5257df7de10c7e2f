import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { db } from '../db';
import { hashPassword, needsRehash, verifyPassword } from '../auth/password';
import { reserveSignIn, settleSignIn } from '../auth/limiter';
import { clientAddressOf } from '../auth/client-address';
import { bumpSessionVersion } from '../auth/session-version';
import { recordAudit } from '../audit';
import { config } from '../config';
import { now as clockNow } from '../clock';

export class RateLimited extends CredentialsSignin {
  code = 'rate_limited';
}
export class BadCredentials extends CredentialsSignin {
  code = 'bad_credentials';
}

const cfg = config();
export const SESSION_MAX_AGE_S = Math.round(cfg.SESSION_MAX_AGE_HOURS * 3600);

export const oidcEnabled = !!(cfg.OIDC_ISSUER && cfg.OIDC_CLIENT_ID && cfg.OIDC_CLIENT_SECRET);
export const oidcName = cfg.OIDC_NAME;

/** A NUL or other control character cannot be part of an e-mail address (and PostgreSQL refuses NUL). */
const CONTROL = /[\u0000-\u001f\u007f]/;

const providers: NextAuthConfig['providers'] = [
  Credentials({
    id: 'password',
    credentials: { email: { type: 'email' }, password: { type: 'password' } },
    async authorize(credentials, request) {
      const email = String(credentials?.email ?? '')
        .trim()
        .toLowerCase();
      const password = String(credentials?.password ?? '');
      const address = clientAddressOf(request.headers);
      if (!email || !password || email.length > 320 || password.length > 1024 || CONTROL.test(email))
        throw new BadCredentials();
      // The attempt counts as a failure before the password is checked, so parallel attempts cannot
      // all pass the limit (lib/auth/limiter.ts).
      const reservation = await reserveSignIn(email, address);
      if (!reservation.ok) throw new RateLimited();
      let user: Awaited<ReturnType<typeof db.user.findUnique>> = null;
      let ok = false;
      try {
        user = await db.user.findUnique({ where: { email } });
        ok = (await verifyPassword(password, user?.passwordHash)) && !!user?.active;
      } finally {
        await settleSignIn(reservation, email, ok);
      }
      if (!ok || !user) throw new BadCredentials();
      const signedIn = user;
      // Hashes made with weaker scrypt parameters are replaced now that the password is at hand.
      const rehashed =
        signedIn.passwordHash && needsRehash(signedIn.passwordHash) ? await hashPassword(password) : null;
      await db.$transaction(async (tx) => {
        await tx.user.update({
          where: { id: signedIn.id },
          data: { lastSignInAt: clockNow(), ...(rehashed ? { passwordHash: rehashed } : {}) },
        });
        await recordAudit(
          tx,
          {
            actor: {
              id: signedIn.id,
              email: signedIn.email,
              name: signedIn.name,
              role: signedIn.role,
              organizationIds: [],
            },
            clientAddress: address,
          },
          {
            action: 'user.signin',
            targetType: 'user',
            targetId: signedIn.email,
            summary: `signed in with password${rehashed ? ' (password hash upgraded)' : ''}`,
          },
        );
      });
      return { id: signedIn.id, email: signedIn.email, name: signedIn.name };
    },
  }),
];

if (oidcEnabled) {
  providers.push({
    id: 'oidc',
    name: oidcName,
    type: 'oidc',
    issuer: cfg.OIDC_ISSUER,
    clientId: cfg.OIDC_CLIENT_ID,
    clientSecret: cfg.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: 'openid email profile' } },
    checks: ['pkce', 'state'],
    // Conformant providers put scope claims (email) in the userinfo answer, not always in the ID
    // token: read the profile from userinfo, which every provider fills.
    idToken: false,
  });
}

export const authConfig: NextAuthConfig = {
  trustHost: true,
  secret: cfg.AUTH_SECRET,
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S },
  events: {
    // Signing out ends every session of the user: cookies carry the session version, and a bumped
    // version makes them worthless even to whoever copied one (lib/next/session.ts).
    async signOut(message) {
      const token = 'token' in message ? message.token : null;
      if (typeof token?.uid === 'string') await bumpSessionVersion(token.uid);
    },
  },
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
        await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: clockNow() } });
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
      let uid: string | undefined;
      if (account?.provider === 'oidc' && typeof profile?.email === 'string') {
        uid = (await db.user.findUnique({ where: { email: profile.email.trim().toLowerCase() }, select: { id: true } }))
          ?.id;
      } else if (user?.id) {
        uid = user.id;
      }
      if (uid) {
        // At sign-in: the user id and the user's session version (bumped by sign-out and deactivation).
        const u = await db.user.findUnique({ where: { id: uid }, select: { sessionVersion: true } });
        token.uid = uid;
        token.sv = u?.sessionVersion ?? 0;
      }
      return token;
    },
    async session({ session, token }) {
      // Only the id and the session version travel in the cookie; role, organizations and "active" are
      // read fresh per request, and the version is compared with the user's (lib/next/session.ts).
      return {
        ...session,
        userId: typeof token.uid === 'string' ? token.uid : undefined,
        sessionVersion: typeof token.sv === 'number' ? token.sv : 0,
      };
    },
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
