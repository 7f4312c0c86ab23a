// Runs the TypeScript backup worker straight from source (tests, benchmarks). The built app uses
// dist/workers/backup.mjs instead, and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./backup-worker.ts');
