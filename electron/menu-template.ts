// The application menu: the minimum (quit, edit shortcuts, zoom; reload and DevTools only in development).
// Pure data in Electron's MenuItemConstructorOptions shape; main.ts passes it to Menu.buildFromTemplate.

export interface MenuItemSpec {
  label?: string;
  role?: string;
  type?: 'separator';
  submenu?: MenuItemSpec[];
}

export function menuTemplate(opts: { isMac: boolean; isPackaged: boolean; appName: string }): MenuItemSpec[] {
  const sep: MenuItemSpec = { type: 'separator' };
  const view: MenuItemSpec[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, sep, { role: 'togglefullscreen' }];
  if (!opts.isPackaged) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, sep);
  const menu: MenuItemSpec[] = [];
  if (opts.isMac) {
    menu.push({
      label: opts.appName,
      submenu: [{ role: 'about' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
    });
  } else {
    menu.push({ role: 'fileMenu', submenu: [{ role: 'quit' }] });
  }
  menu.push({
    role: 'editMenu',
    submenu: [{ role: 'undo' }, { role: 'redo' }, sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  });
  menu.push({ role: 'viewMenu', submenu: view });
  menu.push({ role: 'windowMenu', submenu: opts.isMac ? [{ role: 'minimize' }, { role: 'zoom' }, { role: 'close' }] : [{ role: 'minimize' }, { role: 'close' }] });
  return menu;
}
