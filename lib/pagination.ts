export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}

export interface PageRequest {
  page?: number | string | null;
  pageSize?: number | string | null;
}

/** Far beyond any real list; keeps OFFSET a safe integer. */
export const MAX_PAGE = 1_000_000;

export function pageArgs(
  req: PageRequest,
  defaultSize = 25,
): { skip: number; take: number; page: number; pageSize: number } {
  const pageSize = Math.min(Math.max(Number(req.pageSize) || defaultSize, 1), 200);
  // Bounded, so that ?page=1e400 is an empty page past the end, not an OFFSET the database refuses.
  const page = Math.min(Math.max(Math.floor(Number(req.page) || 1), 1), MAX_PAGE);
  return { skip: (page - 1) * pageSize, take: pageSize, page, pageSize };
}

export function toPage<T>(items: T[], total: number, page: number, pageSize: number): Page<T> {
  return { items, total, page, pageSize, pages: Math.max(Math.ceil(total / pageSize), 1) };
}
