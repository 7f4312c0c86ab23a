// DataGrid texts in the UI language. A `localeText` prop replaces the theme's localized texts instead of
// merging with them (the footer and menus fell back to English), so grids with their own "no rows" text
// take the whole set from here.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { enUS, zhCN } from '@mui/x-data-grid/locales';
import type { GridLocaleText } from '@mui/x-data-grid';

export function useGridLocaleText(noRowsLabel: string): Partial<GridLocaleText> {
  const { i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  return useMemo(() => ({ ...(zh ? zhCN : enUS).components.MuiDataGrid.defaultProps.localeText, noRowsLabel }), [zh, noRowsLabel]);
}
