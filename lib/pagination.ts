export interface Page<T> { items: T[]; total: number; page: number; pageSize: number; pages: number }

export interface PageRequest { page?: number | string | null; pageSize?: number | string | null }

export function pageArgs(req: PageRequest, defaultSize = 25): { skip: number; take: number; page: number; pageSize: number } {
  const pageSize = Math.min(Math.max(Number(req.pageSize) || defaultSize, 1), 200);
  const page = Math.max(Math.floor(Number(req.page) || 1), 1);
  return { skip: (page - 1) * pageSize, take: pageSize, page, pageSize };
}

export function toPage<T>(items: T[], total: number, page: number, pageSize: number): Page<T> {
  return { items, total, page, pageSize, pages: Math.max(Math.ceil(total / pageSize), 1) };
}
