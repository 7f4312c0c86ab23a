// In-app navigation between sections, with optional parameters (e.g. the cases of one batch).
import { createContext, useContext } from 'react';

export type SectionId = 'home' | 'today' | 'lenders' | 'import' | 'batches' | 'cases' | 'assign' | 'staff' | 'compliance' | 'repayments' | 'legal' | 'complaints' | 'dashboard' | 'plans' | 'reports' | 'users' | 'audit' | 'system' | 'settings' | 'backup' | 'privacy';

/** What a section may be opened with; each page reads the parameters it understands. */
export interface NavParams {
  lenderId?: number;
  batchId?: number;
  /** Cases: one collector's cases. Assign: select that collector's open cases (moving them away). */
  collectorId?: number;
  /** Assign: cases picked on the Cases page. */
  caseIds?: number[];
  /** Plans: the tab to open ('awaiting', 'active', 'broken'), e.g. from a card on the home page. */
  tab?: string;
  /** Cases: open cases whose placement ends within this many days (from the home page's card). */
  termEndDays?: number;
}

export interface Navigation {
  section: SectionId;
  params: NavParams;
  navigate: (section: SectionId, params?: NavParams) => void;
}

export const NavContext = createContext<Navigation>({ section: 'home', params: {}, navigate: () => {} });

export function useNav(): Navigation {
  return useContext(NavContext);
}
