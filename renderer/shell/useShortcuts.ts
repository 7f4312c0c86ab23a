// Single-key shortcuts for keyboard-first work (Today: N next case, L log an attempt). They never fire while
// the user types: not in a text field, select or editable element, not inside a dialog (the log form has its
// own Ctrl+Enter; the case drawer opts in with data-shortcuts), and not with Ctrl/Alt/Meta held (those belong to the browser and the system).
import { useEffect, useRef } from 'react';

/** True when a key press belongs to what the user is typing or to an open dialog, not to the page. */
export function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('input, textarea, select, [role="combobox"], [role="listbox"], [role="menu"]')) return true;
  // A dialog takes the keys, unless it says it works with the page's shortcuts (the case drawer on Today).
  const dialog = target.closest('[role="dialog"]');
  return dialog !== null && !dialog.hasAttribute('data-shortcuts');
}

/** `keys`: lower-case letters to handlers. Active while `enabled`. */
export function useShortcuts(keys: Record<string, () => void>, enabled = true): void {
  const ref = useRef(keys);
  ref.current = keys;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat || e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
      if (typingTarget(e.target)) return;
      const run = ref.current[e.key.toLowerCase()];
      if (!run) return;
      e.preventDefault();
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
