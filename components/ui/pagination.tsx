import Link from 'next/link';

/**
 * Previous/next links that keep the other query parameters (filters, sort). A page with more than
 * one paged list names each list's parameter (`param`) and its navigation (`label`); `fragment`
 * brings the reader back to the list rather than to the top of the page.
 */
export function Pagination({
  page,
  pages,
  total,
  basePath,
  params,
  param = 'page',
  label = 'Pagination',
  fragment,
}: {
  page: number;
  pages: number;
  total: number;
  basePath: string;
  params: Record<string, string | undefined>;
  param?: string;
  label?: string;
  fragment?: string;
}) {
  if (pages <= 1)
    return (
      <p className="mt-3 text-sm text-slate-600">
        {total} {total === 1 ? 'item' : 'items'}
      </p>
    );
  const href = (p: number) => {
    const q = new URLSearchParams(
      Object.entries({ ...params, [param]: String(p) }).filter(([, v]) => v) as [string, string][],
    );
    return `${basePath}?${q}${fragment ? `#${fragment}` : ''}`;
  };
  const cls = 'rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100';
  return (
    <nav aria-label={label} className="mt-3 flex flex-wrap items-center gap-3 text-sm">
      {page > 1 ? (
        <Link className={cls} href={href(page - 1)} rel="prev">
          Previous
        </Link>
      ) : (
        <span className={`${cls} opacity-50`} aria-disabled>
          Previous
        </span>
      )}
      <span>
        Page {page} of {pages} · {total} items
      </span>
      {page < pages ? (
        <Link className={cls} href={href(page + 1)} rel="next">
          Next
        </Link>
      ) : (
        <span className={`${cls} opacity-50`} aria-disabled>
          Next
        </span>
      )}
    </nav>
  );
}
