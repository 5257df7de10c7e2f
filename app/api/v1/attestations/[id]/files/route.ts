import { apiRoute } from '@/lib/next/route';
import { addAttestationFile, authorizeAttestation, getAttestation } from '@/lib/attestations';
import { maxFileBytes } from '@/lib/attestations/config';
import { readUpload } from '@/lib/api/body';

export const GET = apiRoute<{ id: string }>(async (ctx, _req, { id }) => (await getAttestation(ctx, id)).files);

/** Uploads one evidence file (multipart/form-data, field "file"); the policy is asked before the body is read. */
export const POST = apiRoute<{ id: string }>(
  async (ctx, req, { id }) => {
    await authorizeAttestation(ctx, id, 'attestation.write');
    const upload = await readUpload(req, maxFileBytes());
    return addAttestationFile(ctx, id, upload);
  },
  { status: 201 },
);
