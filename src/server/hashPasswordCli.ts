/**
 * `npm run hash-password`: reads a password (typed without echo, or piped on stdin) and prints
 * the scrypt hash to put in an account's `passwordHash`. The password itself is never printed.
 */
import { createInterface } from 'node:readline';
import { hashPassword } from './session/index';

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide what is typed: readline writes through _writeToOutput, silenced after the prompt.
  const muted = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stdout.write('Password: ');
  muted._writeToOutput = () => {};
  const password = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return password;
}

const password = await readPassword();
if (password.length < 8) {
  console.error('hash-password: use at least 8 characters');
  process.exit(1);
}
console.log(hashPassword(password));
