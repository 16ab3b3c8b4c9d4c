/** Friendly 403 / 404 / 500 pages, also used when the API refuses a page opened by URL. */
import { Button, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, errorText } from '../../api/client';

type Status = 403 | 404 | 500;

interface Props {
  status: Status;
  /** A more specific explanation, e.g. the server's "该地区不在您的管辖范围内". */
  detail?: string;
  requestId?: string;
}

export function ErrorPage({ status, detail, requestId }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status={status === 403 ? '403' : status === 404 ? '404' : '500'}
      title={t(`errors.${status}`)}
      subTitle={
        <>
          <div data-testid="error-detail">{detail ?? t(`errors.${status}Sub`)}</div>
          {requestId ? (
            <Typography.Text type="secondary" copyable={{ text: requestId }} style={{ fontSize: 12 }}>
              {t('errors.requestId', { id: requestId })}
            </Typography.Text>
          ) : null}
        </>
      }
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('errors.home')}
        </Button>
      }
    />
  );
}

export const ForbiddenPage = () => <ErrorPage status={403} />;
export const NotFoundPage = () => <ErrorPage status={404} />;

/** The page for a failed load: 403 and 404 keep the server's reason; anything else is a 500. */
export function ApiErrorPage({ error }: { error: unknown }) {
  if (error instanceof ApiError) {
    const requestId = error.body.requestId || undefined;
    if (error.status === 403)
      return <ErrorPage status={403} detail={errorText(error)} requestId={requestId} />;
    // A malformed id in the URL (400 on a path parameter) is, to a person, a page that does not exist.
    if (error.status === 404 || (error.status === 400 && (error.field === 'id' || error.field === 'code'))) {
      return <ErrorPage status={404} requestId={requestId} />;
    }
    return <ErrorPage status={500} detail={errorText(error)} requestId={requestId} />;
  }
  return <ErrorPage status={500} />;
}
