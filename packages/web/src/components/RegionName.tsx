import { api, call } from '../api/client';
import { useLoad } from '../api/useLoad';

/** A region's name for a code the API sent alone (a person's 户籍地); the code while loading or when hidden. */
export function RegionName({ code }: { code: string | null | undefined }) {
  const region = useLoad(
    () =>
      code
        ? call(api.GET('/api/regions/{code}', { params: { path: { code } } }))
        : Promise.resolve(undefined),
    [code],
  );
  if (!code) return <>—</>;
  const found = region.data;
  if (!found) return <>{code}</>;
  const names = found.ancestors
    .filter((a) => a.level >= 4 && a.code !== found.region.code)
    .map((a) => a.name);
  return <>{[...names, found.region.name].join(' ')}</>;
}
