// The rooms of lib/ and what each may import, as enforced by `npm run lint` (import/no-restricted-paths
// zones made from this table) and shown in docs/architecture.md ("Rooms and their rules"; a unit test holds
// the two equal). A room is a folder or a single file directly under lib/. Every room may import itself.
// The allowed imports form no cycle, and import/no-cycle forbids cycles between files, so neither rooms
// nor files import each other in a loop.

import fs from 'node:fs';
import path from 'node:path';

/** What most domain rooms build on; a row marked `kernel: true` may import these besides its own list. */
export const KERNEL = [
  'audit',
  'auth',
  'clock',
  'config',
  'context',
  'db',
  'errors',
  'format',
  'html',
  'markdown',
  'pagination',
  'resources',
  'validation',
];

/** room -> { imports: other rooms it may import, kernel: whether KERNEL is allowed too }. */
export const ROOMS = {
  // Foundations: import nothing of the app (but the clock, which every room may ask).
  clock: { imports: [] },
  config: { imports: [] },
  format: { imports: [] },
  html: { imports: [] },
  markdown: { imports: [] },
  pagination: { imports: [] },
  validation: { imports: [] },
  'security-headers': { imports: [] },
  openstack: { imports: [] },
  vault: { imports: ['clock', 'openstack'] },
  checks: { imports: ['clock', 'openstack'] },
  cli: { imports: ['checks', 'clock', 'openstack'] },
  // The kernel, in layers.
  db: { imports: ['clock', 'config'] },
  auth: { imports: ['clock', 'config', 'db'] },
  context: { imports: ['auth'] },
  errors: { imports: ['auth', 'db'] },
  resources: { imports: ['auth', 'context', 'db', 'errors'] },
  audit: { imports: ['auth', 'context', 'db', 'errors', 'pagination', 'resources'] },
  health: { imports: ['db'] },
  // The domain.
  users: { imports: [], kernel: true },
  tokens: { imports: ['users'], kernel: true },
  organizations: { imports: [], kernel: true },
  clouds: { imports: [], kernel: true },
  notify: { imports: ['openstack', 'vault'], kernel: true },
  attestations: { imports: ['notify'], kernel: true },
  compliance: { imports: ['attestations', 'checks', 'notify'], kernel: true },
  credentials: { imports: ['checks', 'compliance', 'openstack', 'vault'], kernel: true },
  runs: { imports: ['checks', 'compliance', 'credentials', 'openstack'], kernel: true },
  jobs: { imports: ['attestations', 'checks', 'compliance', 'interop', 'notify', 'runs'], kernel: true },
  interop: {
    imports: ['api', 'checks', 'clouds', 'compliance', 'credentials', 'openstack', 'runs', 'tokens', 'vault'],
    kernel: true,
  },
  // The glue to the web: lib/next is the only room that imports Next.js, Auth.js or React.
  api: { imports: ['attestations', 'clouds', 'credentials', 'organizations', 'runs', 'users'], kernel: true },
  next: { imports: ['api', 'tokens', 'users'], kernel: true },
};

/** What `components/` may import from lib at run time (anything as `import type`): pure helpers. */
export const COMPONENT_HELPERS = [
  'attestations/mismatch',
  'attestations/result',
  'attestations/statement',
  'compliance/history-html',
  'compliance/presentation',
  'compliance/profiles',
  'format',
  'html',
  'next/form-state',
];

export function allowedImports(room) {
  const row = ROOMS[room];
  return [...new Set([...row.imports, ...(row.kernel ? KERNEL.filter((r) => r !== room) : [])])].sort();
}

const roomPath = (root, room) => {
  const dir = path.join(root, 'lib', room);
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? `./lib/${room}` : `./lib/${room}.ts`;
};

/** The rooms found under lib/ (a folder, or a .ts file that is not a test). */
export function roomsOnDisk(root) {
  return fs
    .readdirSync(path.join(root, 'lib'), { withFileTypes: true })
    .filter((e) => e.isDirectory() || (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)))
    .map((e) => e.name.replace(/\.tsx?$/, ''))
    .sort();
}

/** One import/no-restricted-paths zone per room: everything of lib/, app/ and components/ it may not import. */
export function roomZones(root) {
  const rooms = roomsOnDisk(root);
  const missing = rooms.filter((r) => !ROOMS[r]);
  if (missing.length)
    throw new Error(`lib/${missing[0]} is a room without a row in eslint.rooms.mjs (and docs/architecture.md)`);
  return rooms.map((room) => {
    const allowed = allowedImports(room);
    return {
      target: roomPath(root, room),
      from: [
        ...rooms.filter((r) => r !== room && !allowed.includes(r)).map((r) => roomPath(root, r)),
        './app',
        './components',
      ],
      message: `lib/${room} may import only ${allowed.map((r) => `lib/${r}`).join(', ') || 'nothing of the app'} (docs/architecture.md, eslint.rooms.mjs).`,
    };
  });
}
