// In-app navigation between sections, with optional parameters (e.g. the cases of one batch).
import { createContext, useCallback, useContext, useState } from 'react';

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
  /** The case whose drawer is open: remembered so that unlocking after an idle lock opens it again. */
  openCaseId?: number;
}

export interface Navigation {
  section: SectionId;
  params: NavParams;
  navigate: (section: SectionId, params?: NavParams) => void;
  /** Changes the current section's parameters without opening it afresh (what the page shows now). */
  remember: (params: NavParams) => void;
}

export const NavContext = createContext<Navigation>({ section: 'home', params: {}, navigate: () => {}, remember: () => {} });

export function useNav(): Navigation {
  return useContext(NavContext);
}

/** A page's open case drawer, kept in the shell's place (the idle lock brings the user back to it). */
export function useOpenCase(): [number | null, (caseId: number | null) => void] {
  const { params, remember } = useNav();
  const [caseId, setCaseId] = useState<number | null>(params.openCaseId ?? null);
  const set = useCallback(
    (id: number | null) => {
      setCaseId(id);
      remember(id === null ? { openCaseId: undefined } : { openCaseId: id });
    },
    [remember],
  );
  return [caseId, set];
}
