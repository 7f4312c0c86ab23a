// The renderer entry: i18n first, then the theme, the transport and the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index.js';
import { AppThemeProvider } from './theme.js';
import { NotifierProvider } from './components/Notifier.js';
import { NoTokenScreen } from './screens/NoTokenScreen.js';
import { App } from './App.js';
import { detectTransport } from './api/transport.js';

const transport = detectTransport();
if (!transport) {
  // The link may be pasted into this same tab later: a fragment change does not reload the page.
  window.addEventListener('hashchange', () => {
    if (/(^#|&)token=/.test(window.location.hash)) window.location.reload();
  });
}
const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');

createRoot(container).render(
  <StrictMode>
    <AppThemeProvider>
      <NotifierProvider>{transport ? <App transport={transport} /> : <NoTokenScreen />}</NotifierProvider>
    </AppThemeProvider>
  </StrictMode>,
);
