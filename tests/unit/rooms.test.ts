// The rooms that `npm run lint` enforces (eslint.rooms.mjs) are the ones docs/architecture.md shows, every
// folder or file directly under lib/ has a row, and the allowed imports form no cycle.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOMS, allowedImports, roomsOnDisk } from '../../eslint.rooms.mjs';

const root = path.resolve(import.meta.dirname, '../..');
type Row = { imports: string[]; kernel?: boolean };
const rooms = ROOMS as Record<string, Row>;

function documentedRooms(): Record<string, string> {
  const doc = fs.readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
  const table = doc.split('| room | may import |')[1].split('\n\n')[0];
  const rows: Record<string, string> = {};
  for (const line of table.split('\n').slice(2)) {
    const m = /^\| `lib\/([\w-]+)` \| (.+) \|$/.exec(line.trim());
    if (m) rows[m[1]] = m[2];
  }
  return rows;
}

describe('rooms', () => {
  it('docs/architecture.md shows the table the lint enforces', () => {
    const expected = Object.fromEntries(
      Object.entries(rooms).map(([r, row]) => {
        const own = row.imports.map((x) => `\`lib/${x}\``).join(', ');
        return [r, row.kernel ? `the kernel${own ? `, ${own}` : ''}` : own || 'nothing of the app'];
      }),
    );
    expect(documentedRooms()).toEqual(expected);
  });

  it('every room under lib/ has a row, and every row a room', () => {
    expect(Object.keys(rooms).sort()).toEqual(roomsOnDisk(root));
  });

  it('the allowed imports form no cycle', () => {
    const done = new Set<string>();
    const visit = (r: string, trail: string[]) => {
      if (trail.includes(r)) throw new Error(`cycle: ${[...trail, r].join(' -> ')}`);
      if (done.has(r)) return;
      for (const next of allowedImports(r) as string[]) visit(next, [...trail, r]);
      done.add(r);
    };
    for (const r of Object.keys(rooms)) visit(r, []);
    expect(done.size).toBe(Object.keys(rooms).length);
  });
});
