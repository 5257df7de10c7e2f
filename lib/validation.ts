import { z } from 'zod';

export const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, 'At least 2 characters.')
  .max(63, 'At most 63 characters.')
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'Lower-case letters, digits and inner hyphens only.');

export const emailSchema = z.string().trim().toLowerCase().max(254).email('Enter a valid email address.');

/** Comma-, space- or newline-separated emails, as typed in a form field, or an array from the API. */
export const emailListSchema = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/[\s,;]+/).filter(Boolean) : (v ?? [])),
  z
    .array(z.string().trim().toLowerCase().email('Each contact must be a valid email address.'))
    .max(20, 'At most 20 contacts.'),
);

/** A checkbox in a form sends "on" or nothing; the API sends a boolean. */
export const checkboxSchema = z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean());
