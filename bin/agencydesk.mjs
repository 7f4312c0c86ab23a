#!/usr/bin/env node
// The `agencydesk` command: runs the built CLI (npm install builds it; `npm run build` rebuilds it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli/main.mjs', import.meta.url));
if (!existsSync(cli)) {
  console.error('agencydesk: the CLI is not built yet. Run `npm run build` in the AgencyDesk folder.');
  process.exit(1);
}
await import(cli);
