import { useCallback, useRef, useState } from 'react';
import { api, call, type Region } from '../api/client';

/**
 * Children of regions, fetched one level at a time as a tree is expanded. A county has
 * hundreds of villages; loading the whole subtree up front would be slow on a township's
 * 4G connection.
 */
export function useRegionChildren() {
  const [children, setChildren] = useState<Record<string, Region[]>>({});
  const pending = useRef(new Map<string, Promise<void>>());

  const load = useCallback((code: string): Promise<void> => {
    const existing = pending.current.get(code);
    if (existing) return existing;
    const promise = call(api.GET('/api/regions/{code}/children', { params: { path: { code } } })).then(
      (list) => setChildren((previous) => ({ ...previous, [code]: list })),
      (error: unknown) => {
        // Let a later expand try again.
        pending.current.delete(code);
        throw error;
      },
    );
    pending.current.set(code, promise);
    return promise;
  }, []);

  return { children, load };
}
