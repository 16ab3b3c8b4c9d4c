import { createRoot } from 'react-dom/client';
import './global.css';
import './i18n';
import { Root } from './Root';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(<Root />);
