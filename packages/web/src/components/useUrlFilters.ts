import { useSearchParams } from 'react-router';

/**
 * A list page's filters and paging kept in the address, so the back button from a row's detail
 * page and a shared link return to the same list. Changing any filter goes back to page 1.
 */
export function useUrlFilters(defaultPageSize = 20) {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1) || 1;
  const pageSize = Number(params.get('pageSize') ?? defaultPageSize) || defaultPageSize;
  const get = (key: string): string | undefined => params.get(key) || undefined;
  const update = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };
  /** The table's pagination, wired to the address. */
  const pagination = (total: number | undefined, showTotal: (total: number) => string) => ({
    current: page,
    pageSize,
    total: total ?? 0,
    showSizeChanger: true,
    showTotal,
    onChange: (nextPage: number, nextSize: number) => update({ page: nextPage, pageSize: nextSize }),
  });
  return { get, update, page, pageSize, pagination };
}
