// The logged-in frame: app bar, navigation drawer (only sections the role may use), the current page.
import { useEffect, useMemo, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Drawer from '@mui/material/Drawer';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import HomeIcon from '@mui/icons-material/Home';
import GroupIcon from '@mui/icons-material/Group';
import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import HealthAndSafetyIcon from '@mui/icons-material/HealthAndSafety';
import SettingsIcon from '@mui/icons-material/Settings';
import BusinessIcon from '@mui/icons-material/Business';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import LayersIcon from '@mui/icons-material/Layers';
import AssignmentIcon from '@mui/icons-material/Assignment';
import AssignmentIndIcon from '@mui/icons-material/AssignmentInd';
import TodayIcon from '@mui/icons-material/Today';
import BadgeIcon from '@mui/icons-material/Badge';
import PolicyIcon from '@mui/icons-material/Policy';
import PaymentsIcon from '@mui/icons-material/Payments';
import AccountBalanceIcon from '@mui/icons-material/AccountBalance';
import InsightsIcon from '@mui/icons-material/Insights';
import HandshakeIcon from '@mui/icons-material/Handshake';
import VerifiedIcon from '@mui/icons-material/Verified';
import FeedbackIcon from '@mui/icons-material/Feedback';
import PrivacyTipIcon from '@mui/icons-material/PrivacyTip';
import BackupIcon from '@mui/icons-material/Backup';
import { useApi, useSession } from '../context.js';
import { LanguageMenu } from '../components/LanguageMenu.js';
import { ThemeMenu } from '../components/ThemeMenu.js';
import { UserMenu } from './UserMenu.js';
import { useIdleLock } from './useIdleLock.js';
import { TestClockBar } from './TestClockBar.js';
import { HomePage } from '../pages/HomePage.js';
import { UsersPage } from '../pages/UsersPage.js';
import { AuditPage } from '../pages/AuditPage.js';
import { SystemCheckPage } from '../pages/SystemCheckPage.js';
import { SettingsPage } from '../pages/SettingsPage.js';
import { BackupPage } from '../pages/BackupPage.js';
import { BackupBanner } from './BackupBanner.js';
import { RekeyBanner } from './RekeyBanner.js';
import { AnchorBanner } from './AnchorBanner.js';
import { LendersPage } from '../pages/LendersPage.js';
import { ImportPage } from '../pages/import/ImportPage.js';
import { BatchesPage } from '../pages/BatchesPage.js';
import { CasesPage } from '../pages/CasesPage.js';
import { TodayPage } from '../pages/today/TodayPage.js';
import { AssignPage } from '../pages/assign/AssignPage.js';
import { StaffPage } from '../pages/staff/StaffPage.js';
import { CompliancePage } from '../pages/compliance/CompliancePage.js';
import { RepaymentsPage } from '../pages/repayments/RepaymentsPage.js';
import { LegalPage } from '../pages/legal/LegalPage.js';
import { ComplaintsPage } from '../pages/complaints/ComplaintsPage.js';
import { PrivacyPage } from '../pages/privacy/PrivacyPage.js';
import { DashboardPage } from '../pages/dashboard/DashboardPage.js';
import { PlansPage } from '../pages/plans/PlansPage.js';
import { ReportsPage } from '../pages/reports/ReportsPage.js';
import { useScheduleNotices } from '../pages/reports/useScheduleNotices.js';
import { NavContext, type NavParams, type Navigation, type SectionId } from './navigation.js';
import { HomeSummaryContext, useHomeSummarySource } from './homeSummary.js';
import { NAV_GROUPS, groupOf, navBadges } from './navGroups.js';
import type { Permission } from '../../shared/domain/roles.js';

const DRAWER_WIDTH = 224;

interface Section {
  id: SectionId;
  permission: Permission | null;
  Icon: ComponentType<{ fontSize?: 'small' | 'medium' }>;
  Page: ComponentType;
}

const SECTIONS: Section[] = [
  { id: 'home', permission: null, Icon: HomeIcon, Page: HomePage },
  { id: 'today', permission: 'cases.read', Icon: TodayIcon, Page: TodayPage },
  { id: 'cases', permission: 'cases.read', Icon: AssignmentIcon, Page: CasesPage },
  { id: 'assign', permission: 'assign.manage', Icon: AssignmentIndIcon, Page: AssignPage },
  { id: 'staff', permission: 'users.read', Icon: BadgeIcon, Page: StaffPage },
  { id: 'compliance', permission: 'compliance.report', Icon: PolicyIcon, Page: CompliancePage },
  { id: 'repayments', permission: 'money.report', Icon: PaymentsIcon, Page: RepaymentsPage },
  { id: 'legal', permission: 'cases.read', Icon: AccountBalanceIcon, Page: LegalPage },
  // Managers, admins and auditors read every complaint; collectors those on their own cases.
  { id: 'complaints', permission: 'cases.read', Icon: FeedbackIcon, Page: ComplaintsPage },
  { id: 'dashboard', permission: 'dashboard.read', Icon: InsightsIcon, Page: DashboardPage },
  { id: 'plans', permission: 'cases.read', Icon: HandshakeIcon, Page: PlansPage },
  // Everyone logged in may verify a package; the page shows export, key and settings tabs by permission.
  { id: 'reports', permission: null, Icon: VerifiedIcon, Page: ReportsPage },
  { id: 'import', permission: 'import.run', Icon: UploadFileIcon, Page: ImportPage },
  { id: 'batches', permission: 'lenders.read', Icon: LayersIcon, Page: BatchesPage },
  { id: 'lenders', permission: 'lenders.read', Icon: BusinessIcon, Page: LendersPage },
  { id: 'users', permission: 'users.read', Icon: GroupIcon, Page: UsersPage },
  // The access report (admins, managers, auditors); retention and erasure inside for privacy.erase.
  { id: 'privacy', permission: 'privacy.report', Icon: PrivacyTipIcon, Page: PrivacyPage },
  { id: 'audit', permission: 'audit.read', Icon: ReceiptLongIcon, Page: AuditPage },
  { id: 'system', permission: 'system.check', Icon: HealthAndSafetyIcon, Page: SystemCheckPage },
  { id: 'settings', permission: 'settings.manage', Icon: SettingsIcon, Page: SettingsPage },
  { id: 'backup', permission: 'settings.manage', Icon: BackupIcon, Page: BackupPage },
];

/** The parameters with `changes` applied; a change to undefined removes that parameter. */
function withParams(params: NavParams, changes: NavParams): NavParams {
  const next: Record<string, unknown> = { ...params, ...changes };
  for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
  return next as NavParams;
}

/** Where the user is: kept by the app across an idle lock, so unlocking returns there. */
export interface ShellPlace {
  id: SectionId;
  params: NavParams;
}

export function AppShell({ onIdle, start = null, onPlace }: { onIdle: () => void; start?: ShellPlace | null; onPlace?: (p: ShellPlace) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const { session, status } = useSession();
  // A collector's day starts with their work queue: it comes first and is where they land.
  const collector = session.user.role === 'collector';
  // `visit` changes on every navigation, so a page opened again with new parameters starts afresh.
  const [place, setPlace] = useState<{ id: SectionId; params: NavParams; visit: number }>(() => ({ ...(start ?? { id: collector ? 'today' : 'home', params: {} }), visit: 0 }));
  useEffect(() => void onPlace?.({ id: place.id, params: place.params }), [onPlace, place.id, place.params]);
  useIdleLock(api, session.idleLockMinutes, onIdle);
  useScheduleNotices();
  // The manager's home figures, also the navigation's badges: asked again at every move between sections.
  const home = useHomeSummarySource(api, session.permissions.includes('dashboard.read'), place.visit);
  const badges = navBadges(home.summary);

  const ordered = collector ? [...SECTIONS.filter((s) => s.id === 'today'), ...SECTIONS.filter((s) => s.id !== 'today')] : SECTIONS;
  const visible = ordered.filter((s) => s.permission === null || session.permissions.includes(s.permission));
  const section = visible.find((s) => s.id === place.id) ?? visible[0]!;
  const nav: Navigation = useMemo(
    () => ({
      section: section.id,
      params: place.params,
      navigate: (id, params = {}) => setPlace((p) => ({ id, params, visit: p.visit + 1 })),
      remember: (params) => setPlace((p) => ({ ...p, params: withParams(p.params, params) })),
    }),
    [section.id, place.params],
  );

  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      <AppBar position="fixed" sx={{ zIndex: (theme) => theme.zIndex.drawer + 1 }}>
        {/* Only the agency's name gives way when space runs out (a long user name is cut in UserMenu). */}
        <Toolbar sx={{ gap: 1, '& > .MuiButton-root': { flexShrink: 0, whiteSpace: 'nowrap' } }}>
          <Typography variant="h6" component="div" noWrap sx={{ fontWeight: 700, mr: 1, flexShrink: 0 }}>
            {t('app.name')}
          </Typography>
          <Typography variant="subtitle1" component="div" noWrap sx={{ opacity: 0.9, flexGrow: 1, minWidth: 0 }} data-testid="appbar-agency-name">
            {status.agencyName ?? ''}
          </Typography>
          <TestClockBar />
          <LanguageMenu />
          <ThemeMenu />
          <UserMenu />
        </Toolbar>
      </AppBar>
      <Drawer
        variant="permanent"
        sx={{ width: DRAWER_WIDTH, flexShrink: 0, '& .MuiDrawer-paper': { width: DRAWER_WIDTH, boxSizing: 'border-box' } }}
      >
        <Toolbar />
        <List component="nav" aria-label={t('nav.label')} data-testid="nav" dense sx={{ py: 0 }}>
          {NAV_GROUPS.map((group) => {
            const items = visible.filter((s) => groupOf(s.id) === group);
            if (items.length === 0) return null;
            return (
              <li key={group} data-testid={`nav-group-${group}`} style={{ listStyle: 'none' }}>
                <ul style={{ padding: 0, margin: 0 }}>
                  <ListSubheader sx={{ lineHeight: '24px', pt: 0.5, fontSize: 12 }}>{t(`navGroup.${group}`)}</ListSubheader>
                  {items.map(({ id, Icon }) => {
                    const badge = badges[id];
                    return (
                      <ListItemButton key={id} selected={id === section.id} onClick={() => nav.navigate(id)} data-testid={`nav-${id}`} aria-current={id === section.id ? 'page' : undefined} sx={{ py: 0.25 }}>
                        <ListItemIcon sx={{ minWidth: 36 }}>
                          <Icon fontSize="small" />
                        </ListItemIcon>
                        <ListItemText primary={t(`nav.${id}`)} />
                        {badge ? (
                          <Box
                            component="span"
                            data-testid={`nav-badge-${id}`}
                            aria-label={t(`navBadge.${badge.kind}`, { count: badge.count })}
                            title={t(`navBadge.${badge.kind}`, { count: badge.count })}
                            sx={{ minWidth: 22, px: 0.75, borderRadius: 11, bgcolor: badge.urgent ? 'error.main' : 'primary.main', color: 'common.white', fontSize: 12, fontWeight: 600, lineHeight: '20px', textAlign: 'center' }}
                          >
                            {badge.count.toLocaleString()}
                          </Box>
                        ) : null}
                      </ListItemButton>
                    );
                  })}
                </ul>
              </li>
            );
          })}
        </List>
      </Drawer>
      <Box component="main" sx={{ flexGrow: 1, minWidth: 0, p: 3, bgcolor: 'background.default' }} data-testid={`page-${section.id}`}>
        <Toolbar />
        <NavContext.Provider value={nav}>
          <AnchorBanner />
          <BackupBanner />
          <RekeyBanner />
          <HomeSummaryContext.Provider value={home}>
            <section.Page key={`${section.id}-${place.visit}`} />
          </HomeSummaryContext.Provider>
        </NavContext.Provider>
      </Box>
    </Box>
  );
}
