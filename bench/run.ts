// `npm run bench`: runs every benchmark and prints its figures. Sizes suit a 2-core, 24 GiB machine.
// Pick some with: npm run bench -- store api
import { foundationBench } from './foundation.bench.js';

const all: Record<string, () => Promise<void>> = { foundation: foundationBench };
const picked = process.argv.slice(2);
for (const [name, run] of Object.entries(all)) {
  if (picked.length && !picked.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
