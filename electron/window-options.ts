// The BrowserWindow options of the main window. Pure data (no `electron` import) so tests can assert every flag.
// The window shows only the bundled UI from app://agencydesk; it never runs Node code or remote content.

/** The subset of Electron's WebPreferences this app sets (structurally compatible with Electron's type). */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  plugins: false;
  experimentalFeatures: false;
  enableWebSQL: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  safeDialogs: true;
  devTools: boolean;
}

export interface MainWindowOptions {
  title: string;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: SecureWebPreferences;
}

export interface WindowFlags {
  /** app.isPackaged: DevTools are available only in development builds. */
  isPackaged: boolean;
}

export function secureWebPreferences(preloadPath: string, flags: WindowFlags = { isPackaged: true }): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    plugins: false,
    experimentalFeatures: false,
    enableWebSQL: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: !flags.isPackaged,
  };
}

export function mainWindowOptions(preloadPath: string, flags: WindowFlags = { isPackaged: true }): MainWindowOptions {
  return {
    title: 'AgencyDesk',
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    // Shown on 'ready-to-show', so the user never sees a blank white frame.
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath, flags),
  };
}
