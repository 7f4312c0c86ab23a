// Every file under a folder that holds one of the needles as UTF-8 text: where personal data must never be
// (a temp folder, an uploads folder) is searched for names, ID numbers and phones while work runs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export function leaks(dir: string, needles: string[]): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(d, n);
      try {
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else if (st.isFile()) {
          const text = readFileSync(p).toString('utf8');
          const hit = needles.find((x) => text.includes(x));
          if (hit) found.push(`${p} holds ${hit}`);
        }
      } catch {
        // gone between readdir and read: it was looked at on an earlier pass or not at all
      }
    }
  };
  walk(dir);
  return found;
}
