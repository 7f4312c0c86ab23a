// Assignment helpers shared by the Staff, Assign, Cases and Today screens: rules, regions, reasons,
// and the reference lists (collectors, teams, lenders) several of them load.
import { useCallback, useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { useApi } from './context.js';
import { ASSIGN_RULES } from '../shared/domain/assignment/plan.js';
import { PROVINCES } from '../shared/domain/placement/provinces.js';
import type { Staff } from '../shared/contract/assignment.js';
import type { Team } from '../shared/contract/models.js';
import type { Lender } from '../shared/contract/placements.js';

export { ASSIGN_RULES };
export type { Staff };

/** Province names as cases carry them (derived from the ID number), for the regions a collector covers. */
export const REGION_OPTIONS: readonly string[] = [...new Set(Object.values(PROVINCES))];

/** Why cases could not be assigned, in the UI language ("no team owns bucket M3+"). */
export function unassignableText(t: TFunction, reason: string, value: string | null): string {
  return t(`assign.reasons.${reason}`, { value: value ?? '', defaultValue: value ? `${reason}: ${value}` : reason });
}

/** Spread (max − min) / mean as a percentage. */
export function formatSpread(spread: number): string {
  return `${(spread * 100).toFixed(1)}%`;
}

/** Name and username, as collectors are picked everywhere ("张三 (zhangsan)"). */
export function staffLabel(s: Pick<Staff, 'displayName' | 'username'>): string {
  return s.displayName && s.displayName !== s.username ? `${s.displayName} (${s.username})` : s.username;
}

export interface RefData {
  staff: Staff[];
  teams: Team[];
  lenders: Lender[];
  error: unknown;
  /** The first load has answered (or failed). */
  loaded: boolean;
  reload: () => Promise<void>;
}

/** Collectors, teams and lenders; a list the role may not read stays empty (the screen hides its use). */
export function useRefData(want: { lenders?: boolean } = {}): RefData {
  const api = useApi();
  const [staff, setStaff] = useState<Staff[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [loaded, setLoaded] = useState(false);
  const withLenders = want.lenders ?? false;
  const reload = useCallback(async () => {
    try {
      const [s, tm, l] = await Promise.all([
        api.call('staff.list', {}),
        api.call('teams.list', {}),
        withLenders ? api.call('lenders.list', {}) : Promise.resolve({ lenders: [] as Lender[] }),
      ]);
      setStaff(s.staff);
      setTeams(tm.teams);
      setLenders(l.lenders);
      setError(null);
    } catch (e) {
      setError(e);
    }
    setLoaded(true);
  }, [api, withLenders]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { staff, teams, lenders, error, loaded, reload };
}
