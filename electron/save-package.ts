// "Save .zip…" for a report package in the desktop app: the page names the package by its export id (with
// its session), the backend says where that package is (`reports.package`: permission checked, audited),
// the user picks where to save in the system dialog, and the main process copies the .zip or zips the
// folder there. The page never names a path, so it cannot make the main process read any other file.
// Pure: main.ts passes Electron's dialog and the backend client.
import { z } from 'zod';
import path from 'node:path';
import type { ApiRequest, Envelope } from '../shared/contract/envelope.js';

export interface SavePackageDeps {
  isTrustedSender(frameUrl: string | null, webContentsId: number): boolean;
  callBackend(request: ApiRequest): Promise<Envelope<unknown>>;
  showSaveDialog(options: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string | undefined }>;
  copyFile(from: string, to: string): Promise<void>;
  zipFolder(dir: string, dest: string, folder: string): Promise<void>;
  downloadsDir(): string;
}

const requestSchema = z.object({ exportId: z.number().int().positive(), session: z.string().min(1).max(200) }).strict();

export type SavePackageResult = Envelope<{ saved: boolean; path: string | null }>;

export function createSavePackageHandler(deps: SavePackageDeps) {
  return async (sender: { frameUrl: string | null; webContentsId: number }, raw: unknown): Promise<SavePackageResult> => {
    if (!deps.isTrustedSender(sender.frameUrl, sender.webContentsId)) return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not save packages.' } };
    const req = requestSchema.safeParse(raw);
    if (!req.success) return { ok: false, error: { code: 'BAD_INPUT', message: 'Expected {exportId, session}.' } };
    const where = await deps.callBackend({ method: 'reports.package', input: { exportId: req.data.exportId }, session: req.data.session });
    if (!where.ok) return where;
    const pkg = where.value as { path: string; zip: boolean; fileName: string };
    const choice = await deps.showSaveDialog({ title: pkg.fileName, defaultPath: path.join(deps.downloadsDir(), pkg.fileName), filters: [{ name: 'ZIP', extensions: ['zip'] }] });
    if (choice.canceled || !choice.filePath) return { ok: true, value: { saved: false, path: null } };
    try {
      if (pkg.zip) await deps.copyFile(pkg.path, choice.filePath);
      else await deps.zipFolder(pkg.path, choice.filePath, path.basename(pkg.path));
    } catch (e) {
      return { ok: false, error: { code: 'INTERNAL', message: `The package could not be saved to ${choice.filePath}: ${e instanceof Error ? e.message : String(e)}` } };
    }
    return { ok: true, value: { saved: true, path: choice.filePath } };
  };
}
