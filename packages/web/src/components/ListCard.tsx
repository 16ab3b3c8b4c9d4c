import { PlusOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';

interface Props {
  title: ReactNode;
  /** The 新建 button on the right; left out when the person may not create. */
  create?: { label: string; to: string; testId: string } | undefined;
  children: ReactNode;
}

/** The card of a list page: its title, and a button to create one more where the person may. */
export function ListCard({ title, create, children }: Props) {
  const navigate = useNavigate();
  return (
    <Card
      title={title}
      extra={
        create ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate(create.to)}
            data-testid={create.testId}
          >
            {create.label}
          </Button>
        ) : null
      }
    >
      {children}
    </Card>
  );
}
