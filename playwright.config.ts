import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// One app instance on a fresh embedded PostgreSQL in a temporary directory, plus a real
// OpenID Connect provider, both on 127.0.0.1. Workers inherit these variables from the runner.
const port = Number(process.env.E2E_PORT || 3987);
const oidcPort = Number(process.env.E2E_OIDC_PORT || 3988);
process.env.E2E_BASE_URL ||= `http://127.0.0.1:${port}`;
process.env.E2E_DATA_DIR ||= fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-e2e-'));
process.env.E2E_ADMIN_EMAIL ||= 'admin@e2e.example';
process.env.E2E_ADMIN_PASSWORD ||= `e2e-${Math.random().toString(36).slice(2)}-pw`;
const base = process.env.E2E_BASE_URL;

const chromium = process.env.CHROMIUM_PATH;

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: base,
    trace: 'retain-on-failure',
    launchOptions: {
      ...(chromium ? { executablePath: chromium } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    {
      command: 'node --import tsx e2e/support/oidc-provider.ts',
      url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
      env: { OIDC_PORT: String(oidcPort), APP_URL: base },
      reuseExistingServer: false,
      stdout: 'ignore',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5000 },
    },
    {
      // As npm start runs it: the bundles of scripts/start.ts and its children (scripts/bundles.mjs).
      command: 'node scripts/server.mjs start',
      url: `${base}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: process.env.E2E_SERVER_LOG ? 'pipe' : 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: process.env.E2E_DATA_DIR,
        ADMIN_EMAIL: process.env.E2E_ADMIN_EMAIL,
        ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD,
        // The limiter test sends its own X-Forwarded-For, so its failures do not block the other tests.
        TRUST_PROXY: 'true',
        // No PUBLIC_URL: public links follow the request's origin (e2e/compliance.spec.ts checks the QR code).
        OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
        OIDC_CLIENT_ID: 'scs-km-e2e',
        OIDC_CLIENT_SECRET: 'e2e-oidc-client-secret',
        OIDC_NAME: 'SCS Keycloak',
        DATABASE_URL: '',
        // e2e/attestations.spec.ts moves the server's clock past an expiry through
        // <DATA_DIR>/test-clock.json; lib/clock.ts honours it only for this throw-away data dir.
        ALLOW_TEST_CLOCK: 'true',
        // Runs execute in the specs' own worker processes (e2e/runs.spec.ts resolves a simulator from a
        // file, e2e/first-hour.spec.ts decrypts the stored credential), not in the app.
        WORKERS: 'off',
        // e2e/notifications.spec.ts's webhook receivers listen on loopback.
        WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
        // The OpenStack simulator listens on loopback: credentials pointing at it are tested from here.
        ALLOW_PRIVATE_ENDPOINTS: 'true',
      },
    },
  ],
});
