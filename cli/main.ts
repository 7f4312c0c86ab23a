// Entry of the built CLI (dist/cli/main.mjs), imported by bin/agencydesk.mjs.
import { main } from './run.js';

process.exitCode = await main(process.argv.slice(2), process.env);
