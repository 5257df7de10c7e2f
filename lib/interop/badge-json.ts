// The shields.io endpoint badge of a publicly listed cloud (/badge/{slug}.json): shields.io fetches it
// and draws the badge in its own styles. Words and colours are lib/compliance's, as on our SVG badge.

import type { BadgeStatus } from '../compliance/badge';
import { look } from '../compliance/presentation';

export const BADGE_LABEL = 'SCS key manager';

/** The JSON of https://shields.io/badges/endpoint-badge (schemaVersion 1). */
export function shieldsEndpoint(s: BadgeStatus | null): {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
} {
  if (!s)
    return {
      status: 404,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=60' },
      body: { schemaVersion: 1, label: BADGE_LABEL, message: 'not found', color: 'lightgrey', isError: true },
    };
  const l = look(s.status);
  return {
    status: 200,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=600',
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Allow-Origin': '*',
    },
    body: {
      schemaVersion: 1,
      label: BADGE_LABEL,
      message: `${l.label}${s.certified ? ' · certified' : ''}`,
      color: l.fill.replace(/^#/, ''),
      labelColor: '374151',
      cacheSeconds: 300,
    },
  };
}
