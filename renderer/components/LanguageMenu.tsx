import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Button from '@mui/material/Button';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import TranslateIcon from '@mui/icons-material/Translate';
import { LANGUAGES, currentLanguage, setLanguage } from '../i18n/index.js';

export function LanguageMenu({ color = 'inherit' }: { color?: 'inherit' | 'primary' }) {
  const { t } = useTranslation();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const lang = currentLanguage();
  return (
    <>
      <Button
        color={color}
        startIcon={<TranslateIcon />}
        aria-label={`${t('lang.label')}: ${t(`lang.${lang}`)}`}
        aria-haspopup="menu"
        data-testid="language-button"
        onClick={(e) => setAnchor(e.currentTarget)}
        sx={{ textTransform: 'none' }}
      >
        {t(`lang.${lang}`)}
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {LANGUAGES.map((l) => (
          <MenuItem
            key={l}
            lang={l}
            selected={l === lang}
            data-testid={`language-${l}`}
            onClick={() => {
              setAnchor(null);
              void setLanguage(l);
            }}
          >
            {t(`lang.${l}`)}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
