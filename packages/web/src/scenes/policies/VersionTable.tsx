/** The versions of one file, newest first; each opens its full text (the baseline is version 0). */
import { Button, Modal, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLoad } from '../../api/useLoad';
import styles from './policies.module.css';
import { loadVersion, type PolicyVersion, versionLabel } from './policiesApi';

export function VersionTable({ file, versions }: { file: string; versions: PolicyVersion[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | undefined>();
  return (
    <>
      <Table<PolicyVersion>
        rowKey="versionNo"
        size="small"
        pagination={false}
        dataSource={versions}
        scroll={{ x: 720 }}
        data-testid={`versions-${file}`}
        locale={{ emptyText: t('policies.detail.noVersions') }}
        columns={[
          {
            title: t('policies.versions.version'),
            key: 'v',
            width: 90,
            render: (_, v) => versionLabel(t, v.versionNo),
          },
          { title: t('policies.versions.effectiveFrom'), dataIndex: 'effectiveFrom', width: 110 },
          { title: t('policies.versions.reason'), dataIndex: 'reason' },
          { title: t('policies.versions.publishedBy'), dataIndex: 'publishedByName', width: 120 },
          {
            title: t('policies.versions.publishedAt'),
            key: 'at',
            width: 160,
            render: (_, v) => new Date(v.publishedAt).toLocaleString(),
          },
          {
            title: t('policies.versions.sha256'),
            key: 'sha',
            width: 120,
            render: (_, v) => <Typography.Text code>{v.sha256.slice(0, 12)}</Typography.Text>,
          },
          {
            title: '',
            key: 'open',
            width: 90,
            render: (_, v) => (
              <Button size="small" type="link" onClick={() => setOpen(v.versionNo)}>
                {t('policies.detail.showText')}
              </Button>
            ),
          },
        ]}
      />
      <Button size="small" type="link" onClick={() => setOpen(0)} style={{ paddingLeft: 0 }}>
        {t('policies.detail.showText')}：{t('policies.baseline')}
      </Button>
      {open !== undefined ? (
        <VersionText file={file} versionNo={open} onClose={() => setOpen(undefined)} />
      ) : null}
    </>
  );
}

function VersionText({ file, versionNo, onClose }: { file: string; versionNo: number; onClose(): void }) {
  const { t } = useTranslation();
  const text = useLoad(() => loadVersion(file, versionNo), [file, versionNo]);
  return (
    <Modal
      open
      width={900}
      footer={null}
      onCancel={onClose}
      title={t('policies.detail.versionText', { file, v: versionLabel(t, versionNo) })}
    >
      <pre className={styles.source} data-testid="version-text">
        {text.data?.body ?? (text.error ? String(text.error) : '…')}
      </pre>
    </Modal>
  );
}
