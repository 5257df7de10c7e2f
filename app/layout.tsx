import type { Metadata, Viewport } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'SCS Key-Manager Conformance', template: '%s · SCS Key-Manager Conformance' },
  description: 'Conformance of OpenStack clouds to the SCS Key-Manager Standard (scs-0116).',
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '16x16 32x32 48x48' },
      { url: '/icon.svg', type: 'image/svg+xml' },
    ],
  },
};
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };
// Every page is rendered per request, so its scripts carry that request's CSP nonce (proxy.ts); a page
// prerendered at build time (the 404 page) would have scripts the browser refuses to run.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
