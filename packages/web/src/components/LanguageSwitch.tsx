import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n';

/** One button that names the other language, the way bilingual government sites do. */
export function LanguageSwitch({ light = false }: { light?: boolean }) {
  const { t, i18n } = useTranslation();
  const toEnglish = i18n.language !== 'en';
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      data-testid="language-switch"
      aria-label={t('lang.label')}
      style={light ? { color: 'rgba(255,255,255,0.9)' } : undefined}
      onClick={() => setLanguage(toEnglish ? 'en' : 'zh-CN')}
    >
      {t('lang.switchTo')}
    </Button>
  );
}
