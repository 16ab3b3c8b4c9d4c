import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ApiErrorPage, ErrorPage } from './ErrorPage';

/** The router's error element: a crash while rendering becomes the friendly 500 page. */
export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <ErrorPage status={404} />;
  console.error(error);
  return <ApiErrorPage error={error} />;
}
