// The MUI theme: light and dark color schemes (user choice or the system's), localized components.
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider, createTheme } from '@mui/material/styles';
import { zhCN as materialZhCN, enUS as materialEnUS } from '@mui/material/locale';
import { zhCN as gridZhCN, enUS as gridEnUS } from '@mui/x-data-grid/locales';

// System fonts only (the CSP allows no remote fonts): Latin first, then the usual CJK faces per OS.
const FONT_STACK = [
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'Roboto',
  '"Noto Sans"',
  '"PingFang SC"',
  '"Hiragino Sans GB"',
  '"Microsoft YaHei"',
  '"Noto Sans CJK SC"',
  '"Source Han Sans SC"',
  '"WenQuanYi Micro Hei"',
  'sans-serif',
].join(', ');

export const MODE_STORAGE_KEY = 'agencydesk.colorMode';

export function AppThemeProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const theme = useMemo(
    () =>
      createTheme(
        {
          cssVariables: { colorSchemeSelector: 'class' },
          colorSchemes: {
            light: { palette: { primary: { main: '#1e5aa8' }, background: { default: '#f4f6f9' } } },
            dark: { palette: { primary: { main: '#8ab4f8' } } },
          },
          typography: { fontFamily: FONT_STACK },
          shape: { borderRadius: 8 },
        },
        zh ? materialZhCN : materialEnUS,
        zh ? gridZhCN : gridEnUS,
      ),
    [zh],
  );
  return (
    <ThemeProvider theme={theme} defaultMode="system" modeStorageKey={MODE_STORAGE_KEY} disableTransitionOnChange>
      <CssBaseline enableColorScheme />
      {children}
    </ThemeProvider>
  );
}
