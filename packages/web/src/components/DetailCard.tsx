import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

interface Props {
  title: ReactNode;
  /** Where the back arrow goes; without it, the previous page (so a filtered list comes back as it was). */
  backTo?: string;
  extra?: ReactNode;
  children: ReactNode;
}

/** The head card of a detail page: a back arrow, the title, the page's actions on the right. */
export function DetailCard({ title, backTo, extra, children }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Card
      title={
        <Space>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => (backTo ? navigate(backTo) : navigate(-1))}
            aria-label={t('common.back')}
          />
          {title}
        </Space>
      }
      extra={extra}
    >
      {children}
    </Card>
  );
}
