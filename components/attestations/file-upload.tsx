'use client';
import { useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { variants } from '@/components/ui/button';

/**
 * Uploads evidence with visible progress: XMLHttpRequest to the files route handler (server
 * actions report no upload progress). The server decides the type from the content and answers
 * a clear refusal, shown here; nothing is stored on refusal.
 */
export function FileUpload({ id, accept, limitText }: { id: string; accept: string; limitText: string }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function upload(file: File): Promise<void> {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/v1/attestations/${id}/files`);
      xhr.responseType = 'json';
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) setProgress(Math.round((e.loaded / e.total) * 100));
      };
      xhr.onload = () => {
        const body = xhr.response as { name?: string; sha256?: string; error?: { message?: string } } | null;
        if (xhr.status === 201) setMessage({ ok: true, text: `Uploaded "${body?.name}" (SHA-256 ${body?.sha256}).` });
        else
          setMessage({
            ok: false,
            text: `"${file.name}" was not stored: ${body?.error?.message ?? `HTTP ${xhr.status}`}`,
          });
        resolve();
      };
      xhr.onerror = () => {
        setMessage({ ok: false, text: `"${file.name}" was not stored: the upload was interrupted.` });
        resolve();
      };
      const fd = new FormData();
      fd.append('file', file);
      fd.append('filename', file.name);
      setProgress(0);
      xhr.send(fd);
    });
  }

  async function onChange() {
    const files = Array.from(input.current?.files ?? []);
    setMessage(null);
    for (const f of files) await upload(f);
    setProgress(null);
    if (input.current) input.current.value = '';
    router.refresh();
  }

  return (
    <div className="space-y-2" data-testid="file-upload">
      <label htmlFor={`upload-${id}`} className="block text-sm font-medium text-slate-800">
        Add evidence files
      </label>
      <input
        id={`upload-${id}`}
        ref={input}
        type="file"
        multiple
        accept={accept}
        onChange={onChange}
        disabled={progress !== null}
        aria-describedby={`upload-${id}-hint`}
        className={`${variants.secondary} block w-full max-w-md`}
      />
      <p id={`upload-${id}-hint`} className="text-xs text-slate-600">
        {limitText}
      </p>
      {progress !== null && (
        <div className="flex items-center gap-2 text-sm">
          <progress max={100} value={progress} aria-label="Upload progress" className="h-2 w-48" />
          <span data-testid="upload-progress">{progress}%</span>
        </div>
      )}
      {message && (
        <p
          role={message.ok ? 'status' : 'alert'}
          data-testid="upload-message"
          className={`break-words rounded-md border px-3 py-2 text-sm ${message.ok ? 'border-green-300 bg-green-50 text-green-900' : 'border-red-300 bg-red-50 text-red-900'}`}
        >
          {message.text}
        </p>
      )}
    </div>
  );
}
