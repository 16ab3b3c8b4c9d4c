/**
 * /policies/edit?file= — edit a catalogue file (and a policy's scenario tests) as the region's
 * shared draft, check it (compile + every scenario test), read the diff, publish it. The server
 * refuses to publish anything that fails; the buttons only save a round trip.
 */
import { Alert, App, Button, Card, Input, Popconfirm, Space, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { errorText } from '../../api/client';
import { useLoad } from '../../api/useLoad';
import { useCan } from '../../auth/AccountContext';
import { ApiErrorPage } from '../errors/ErrorPage';
import { CheckResultView } from './CheckResultView';
import { DiffView } from './DiffView';
import { PublishDialog } from './PublishDialog';
import styles from './policies.module.css';
import {
  type CheckResult,
  checkDraft,
  type Diff,
  detailPath,
  diffDraft,
  discardDraft,
  loadFile,
  type PolicyDraft,
  saveDraft,
  versionLabel,
} from './policiesApi';

export default function PolicyEditorPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const file = params.get('file') ?? '';
  const detail = useLoad(() => loadFile(file), [file]);
  const [body, setBody] = useState('');
  const [scenarioBody, setScenarioBody] = useState<string | null>(null);
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<'save' | 'check' | 'diff' | undefined>();
  const [check, setCheck] = useState<{ revision: number; result: CheckResult } | undefined>();
  const [diff, setDiff] = useState<Diff | undefined>();
  const [publishing, setPublishing] = useState(false);
  const [error, setError] = useState<string | undefined>();

  // Start from the region's draft when there is one, otherwise from the newest version.
  useEffect(() => {
    const d = detail.data;
    if (!d) return;
    setDraft(d.draft);
    setBody(d.draft?.body ?? d.body);
    setScenarioBody(d.draft?.scenarioBody ?? d.scenarioBody);
    setDirty(false);
  }, [detail.data]);

  if (detail.error) return <ApiErrorPage error={detail.error} />;
  const d = detail.data;

  /** Saves when there are unsaved edits; returns the draft the next step works on. */
  const ensureSaved = async (): Promise<PolicyDraft | null> => {
    if (!dirty && draft) return draft;
    const saved = await saveDraft({
      file,
      body,
      ...(scenarioBody !== null ? { scenarioBody } : {}),
      ...(draft ? { revision: draft.revision } : {}),
    });
    setDraft(saved);
    setDirty(false);
    return saved;
  };

  const run = async (kind: 'save' | 'check' | 'diff') => {
    setBusy(kind);
    setError(undefined);
    try {
      const saved = await ensureSaved();
      if (!saved) return;
      if (kind === 'save') message.success(t('policies.editor.saved'));
      if (kind === 'check') setCheck({ revision: saved.revision, result: await checkDraft(file) });
      if (kind === 'diff') setDiff(await diffDraft(file));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(undefined);
    }
  };

  const discard = async () => {
    try {
      await discardDraft(file);
      message.success(t('policies.editor.discarded'));
      setCheck(undefined);
      setDiff(undefined);
      detail.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const edit = (setter: (v: string) => void) => (e: { target: { value: string } }) => {
    setter(e.target.value);
    setDirty(true);
    setCheck(undefined);
    setDiff(undefined);
  };

  const checked = check && draft && !dirty && check.revision === draft.revision ? check.result : undefined;
  const editor = (value: string, onChange: ReturnType<typeof edit>, testId: string) => (
    <Input.TextArea
      value={value}
      onChange={onChange}
      autoSize={{ minRows: 18, maxRows: 40 }}
      spellCheck={false}
      className={styles.editor}
      data-testid={testId}
    />
  );

  return (
    <Card
      loading={!d}
      title={t('policies.editor.title', { file })}
      extra={<Button onClick={() => navigate(detailPath(file))}>{t('policies.view')}</Button>}
    >
      {d ? (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t('policies.editor.base', { v: versionLabel(t, d.versionNo) })}
            {' · '}
            {draft
              ? t('policies.editor.draftBy', {
                  revision: draft.revision,
                  name: draft.updatedByName ?? '',
                  at: new Date(draft.updatedAt).toLocaleString(),
                })
              : t('policies.editor.noDraft')}
          </Typography.Text>
          {draft?.stale ? <Alert type="warning" showIcon title={t('policies.editor.stale')} /> : null}
          <Alert type="info" showIcon title={t('policies.editor.help')} />
          {error ? <Alert type="error" showIcon title={error} data-testid="editor-error" /> : null}
          {scenarioBody !== null ? (
            <Tabs
              items={[
                {
                  key: 'policy',
                  label: t('policies.editor.policyText'),
                  children: editor(body, edit(setBody), 'editor-body'),
                },
                {
                  key: 'scenarios',
                  label: t('policies.editor.scenarioText'),
                  children: editor(scenarioBody, edit(setScenarioBody), 'editor-scenarios'),
                },
              ]}
            />
          ) : (
            editor(body, edit(setBody), 'editor-body')
          )}
          <Space wrap>
            <Button
              onClick={() => run('save')}
              loading={busy === 'save'}
              disabled={!dirty}
              data-testid="draft-save"
            >
              {t('policies.editor.save')}
            </Button>
            <Button
              type="primary"
              onClick={() => run('check')}
              loading={busy === 'check'}
              data-testid="draft-check"
            >
              {t('policies.editor.check')}
            </Button>
            <Button onClick={() => run('diff')} loading={busy === 'diff'} data-testid="draft-diff">
              {t('policies.editor.diff')}
            </Button>
            {can('policy.publish') ? (
              <Button
                type="primary"
                danger
                disabled={!checked?.passed}
                title={checked?.passed ? undefined : t('policies.publish.mustCheck')}
                onClick={() => setPublishing(true)}
                data-testid="draft-publish"
              >
                {t('policies.editor.publish')}
              </Button>
            ) : null}
            {draft ? (
              <Popconfirm title={t('policies.editor.discardConfirm')} onConfirm={discard}>
                <Button danger type="link">
                  {t('policies.editor.discard')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
          {busy === 'check' ? <Alert type="info" title={t('policies.editor.checking')} /> : null}
          {checked ? <CheckResultView result={checked} /> : null}
          {diff ? (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Typography.Title level={5}>
                {t('policies.diff.title', { v: versionLabel(t, diff.base.versionNo) })}
              </Typography.Title>
              <DiffView hunks={diff.hunks} testId="diff-view" />
              {diff.scenarioFile && diff.scenarioHunks.length > 0 ? (
                <>
                  <Typography.Title level={5}>{t('policies.diff.scenarios')}</Typography.Title>
                  <DiffView hunks={diff.scenarioHunks} />
                </>
              ) : null}
            </Space>
          ) : null}
          {publishing && draft ? (
            <PublishDialog
              file={file}
              revision={draft.revision}
              onClose={() => setPublishing(false)}
              onPublished={(text) => {
                setPublishing(false);
                message.success(text);
                navigate(detailPath(file));
              }}
            />
          ) : null}
        </Space>
      ) : null}
    </Card>
  );
}
