import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { KIT_PACKAGES } from '../interop/kit';

describe('npm run test:interop on CI', () => {
  test('.ci/run installs exactly the Debian packages the interop stage checks for', () => {
    const ci = fs.readFileSync(path.resolve(import.meta.dirname, '../../.ci/run'), 'utf8');
    const listed = /KIT_PACKAGES="([^"]*)"/.exec(ci)?.[1]?.split(/\s+/).filter(Boolean);
    expect(listed?.sort()).toEqual([...KIT_PACKAGES].sort());
    expect(ci).toMatch(/\nnpm run test:interop\n/);
  });
});
