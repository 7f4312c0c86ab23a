// Runs the TypeScript import worker straight from source (tests, benchmarks). The built app uses
// dist/workers/import.mjs instead, and never loads this file.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
