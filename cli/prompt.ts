// Reads a secret from the terminal without echoing it.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export async function promptSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('no terminal to ask for a password on: set the environment variable instead');
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  process.stderr.write(question);
  muted = true;
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    muted = false;
    rl.close();
    process.stderr.write('\n');
  }
}
