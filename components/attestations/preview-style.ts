/** One look for every evidence preview (a disclosure under the file's name). */
export const PREVIEW_DETAILS_CLASS = 'mt-1 rounded border border-slate-200 bg-white';
export const PREVIEW_SUMMARY_CLASS = 'cursor-pointer px-2 py-1 text-xs font-medium text-slate-700';
