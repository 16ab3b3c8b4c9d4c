import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The platform's name in the header: 兜底, with the subtitle when there is room. */
export function Brand({ compact }: { compact: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Link
      to="/"
      style={{ color: '#fff', display: 'flex', alignItems: 'baseline', gap: 10, whiteSpace: 'nowrap' }}
    >
      <span style={{ fontSize: 20, fontWeight: 700, letterSpacing: i18n.language === 'en' ? 0 : 2 }}>
        {t('app.name')}
      </span>
      {compact ? null : <span style={{ fontSize: 13, opacity: 0.85 }}>{t('app.subtitle')}</span>}
    </Link>
  );
}
