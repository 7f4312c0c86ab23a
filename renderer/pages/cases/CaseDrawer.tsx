// The case work view (opened from Cases and Today): the one place a collector works a case. A wide
// drawer over the page: the facts across the top, who can be reached (each with "log attempt") on the
// left, and the timeline, files and messages on the right. Opening it is logged by the backend (cases.view).
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import CloseIcon from '@mui/icons-material/Close';
import GavelIcon from '@mui/icons-material/Gavel';
import RefreshIcon from '@mui/icons-material/Refresh';
import { useApi, useSession } from '../../context.js';
import { describeError } from '../../errors.js';
import { formatDateTime } from '../../format.js';
import { ruleName } from '../../casework.js';
import { useCaseWork } from './useCaseWork.js';
import { CaseHeader } from './CaseHeader.js';
import { CaseFacts } from './CaseFacts.js';
import { CaseDetailsPanel } from './CaseDetailsPanel.js';
import { ContactsPanel, type Party } from './ContactsPanel.js';
import { CaseTimeline } from './CaseTimeline.js';
import { FilesPanel } from './FilesPanel.js';
import { MessagesPanel } from './MessagesPanel.js';
import { MoneyPanel } from '../money/MoneyPanel.js';
import { StageMenu } from './StageMenu.js';
import { LegalCaseButton } from '../legal/LegalCaseButton.js';
import { LogAttemptDialog } from './LogAttemptDialog.js';
import { OverrideDialog, type Granted } from './OverrideDialog.js';
import type { Colleague } from './AttemptFields.js';
import { CaseComplaints, CaseFlagChips, useCaseComplaints } from '../complaints/CaseComplaints.js';
import { useShortcuts } from '../../shell/useShortcuts.js';

type Panel = 'timeline' | 'details' | 'money' | 'files' | 'messages';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box sx={{ mb: 2 }}>
      <Typography variant="overline" component="h3" sx={{ color: 'text.secondary', lineHeight: 2 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

/** `onNext` (Today): a "next case" button and the N key; L logs an attempt with the borrower wherever it opens. */
export function CaseDrawer({ caseId, onClose, onChanged, onNext }: { caseId: number | null; onClose: () => void; onChanged?: () => void; onNext?: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const canWork = session.permissions.includes('cases.work');
  const canOverride = session.permissions.includes('compliance.override');
  const work = useCaseWork(caseId);
  const [panel, setPanel] = useState<Panel>('timeline');
  const [logParty, setLogParty] = useState<Party | undefined>(undefined);
  const [granting, setGranting] = useState(false);
  const [granted, setGranted] = useState<Granted | null>(null);
  const [staff, setStaff] = useState<Colleague[] | null>(null);
  const d = work.detail;
  // Flags and complaints (complaints.caseState): chips by the title, a section on the left.
  const complaints = useCaseComplaints(caseId);

  // Colleagues for field visits (staff.colleagues: anyone who works cases may list them, collectors too).
  useEffect(() => {
    if (!canWork || caseId === null) return;
    api.call('staff.colleagues', {}).then(
      (r) => setStaff(r.colleagues.filter((c) => c.userId !== session.user.id)),
      () => setStaff(null),
    );
  }, [api, canWork, caseId, session.user.id]);
  useEffect(() => {
    setPanel('timeline');
    setGranted(null);
  }, [caseId]);

  // Keyboard-first work (issue 18): not while a dialog over the drawer (the log form) has the keys.
  useShortcuts({ l: () => d && canWork && logParty === undefined && setLogParty(null), ...(onNext ? { n: onNext } : {}) }, caseId !== null);

  const changed = async (what: 'attempts' | 'detail' | 'both') => {
    await Promise.all([what !== 'detail' ? work.reloadAttempts() : null, what !== 'attempts' ? work.reloadDetail() : null, what !== 'attempts' ? complaints.reload() : null]);
    onChanged?.();
  };

  return (
    // Above the app bar (which sits over the permanent navigation drawer), like a dialog.
    <Drawer
      anchor="right"
      open={caseId !== null}
      onClose={onClose}
      sx={{ zIndex: (theme) => theme.zIndex.modal }}
      slotProps={{ paper: { sx: { width: 'min(1200px, calc(100vw - 40px))', overflow: 'hidden' }, 'data-testid': 'case-drawer', 'data-shortcuts': '' } as object }}
    >
      {/* Only the title gives way to a long borrower name (a file may hold 500 characters): the buttons keep their width. */}
      <Toolbar sx={{ gap: 1.5, minHeight: { xs: 56 }, '& > :not(h2)': { flexShrink: 0 } }}>
        <Typography variant="h6" component="h2" noWrap sx={{ flexGrow: 1, minWidth: 0 }} data-testid="case-drawer-title">
          {d ? `${d.borrowerName} · ${d.caseNo}` : t('caseDetail.title')}
        </Typography>
        {d && complaints.state ? <CaseFlagChips flags={complaints.state.flags.map((f) => f.flag)} /> : null}
        {d && canWork ? <StageMenu caseId={d.id} stage={d.stage} onMoved={() => void changed('detail')} /> : null}
        {d ? <LegalCaseButton caseId={d.id} caseNo={d.caseNo} stage={d.stage} onChanged={() => void changed('detail')} /> : null}
        {d && canOverride ? (
          <Button size="small" variant="outlined" color="warning" startIcon={<GavelIcon />} onClick={() => setGranting(true)} data-testid="grant-override">
            {t('casework.override.headerButton')}
          </Button>
        ) : null}
        {d ? (
          // Someone else may be working the case too (a manager granting an override): fetch it again.
          <Tooltip title={t('common.refresh')}>
            <IconButton onClick={() => void changed('both')} aria-label={t('common.refresh')} data-testid="case-refresh">
              <RefreshIcon />
            </IconButton>
          </Tooltip>
        ) : null}
        {onNext ? (
          <Tooltip title={t('workday.keys.nextHint')}>
            <Button size="small" onClick={onNext} data-testid="case-next">
              {t('workday.keys.next')}
            </Button>
          </Tooltip>
        ) : null}
        <IconButton onClick={onClose} aria-label={t('common.close')} data-testid="case-drawer-close">
          <CloseIcon />
        </IconButton>
      </Toolbar>
      <Divider />
      {work.error ? (
        <Alert severity="error" sx={{ m: 2 }}>
          {describeError(t, work.error)}
        </Alert>
      ) : null}
      {!d && !work.error ? <CircularProgress size={28} sx={{ display: 'block', mx: 'auto', my: 4 }} /> : null}
      {d ? (
        <>
          <CaseHeader detail={d} step={d.nextStep} />
          {granted ? (
            <Alert severity="warning" onClose={() => setGranted(null)} sx={{ borderRadius: 0 }} data-testid="override-granted">
              {t('casework.override.granted', { id: granted.overrideId, rule: ruleName(t, granted.rule), until: formatDateTime(granted.expiresAt, i18n.language) })}
            </Alert>
          ) : null}
          <Box sx={{ display: 'grid', gridTemplateColumns: '300px minmax(0, 1fr)', flex: 1, minHeight: 0, borderTop: 1, borderColor: 'divider' }}>
            <Box sx={{ overflowY: 'auto', p: 2, borderRight: 1, borderColor: 'divider' }} data-testid="case-left">
              <Section title={t('caseDetail.contacts')}>
                <ContactsPanel detail={d} canWork={canWork} onLog={setLogParty} />
              </Section>
              <Section title={t('complaints.section')}>
                <CaseComplaints
                  caseId={d.id}
                  caseNo={d.caseNo}
                  state={complaints.state}
                  people={[...(staff ?? []), { userId: session.user.id, username: session.user.username, displayName: session.user.displayName }]}
                  onChanged={() => void changed('both')}
                />
              </Section>
              <Section title={t('caseDetail.case')}>
                <CaseFacts detail={d} />
              </Section>
            </Box>
            <Box sx={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
              <Tabs value={panel} onChange={(_e, v: Panel) => setPanel(v)} sx={{ px: 2, borderBottom: 1, borderColor: 'divider', minHeight: 44, '& .MuiTab-root': { minHeight: 44 } }}>
                <Tab value="timeline" label={t('casework.panels.timeline')} data-testid="case-tab-timeline" />
                <Tab value="details" label={t('caseFacts.panel')} data-testid="case-tab-details" />
                <Tab value="money" label={t('money.panel')} data-testid="case-tab-money" />
                <Tab value="files" label={t('casework.panels.files')} data-testid="case-tab-files" />
                {canWork ? <Tab value="messages" label={t('casework.panels.messages')} data-testid="case-tab-messages" /> : null}
              </Tabs>
              <Box sx={{ overflowY: 'auto', p: 2, flex: 1 }} data-testid={`case-panel-${panel}`}>
                {panel === 'timeline' ? <CaseTimeline attempts={work.attempts} history={d.history} outcomes={work.outcomes} canWork={canWork} onCorrected={() => void changed('attempts')} /> : null}
                {panel === 'details' ? <CaseDetailsPanel detail={d} /> : null}
                {panel === 'money' ? <MoneyPanel detail={d} onChanged={() => void changed('detail')} /> : null}
                {panel === 'files' ? <FilesPanel caseId={d.id} canWork={canWork} /> : null}
                {panel === 'messages' ? <MessagesPanel detail={d} /> : null}
              </Box>
            </Box>
          </Box>
          {logParty !== undefined ? (
            <LogAttemptDialog detail={d} party={logParty} outcomes={work.outcomes} staff={staff} onClose={() => setLogParty(undefined)} onLogged={() => void changed('both')} />
          ) : null}
          {granting ? <OverrideDialog caseId={d.id} onClose={() => setGranting(false)} onGranted={setGranted} /> : null}
        </>
      ) : null}
    </Drawer>
  );
}
