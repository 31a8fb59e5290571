// tgmt: the command line. Commands grow with the project; each is a function
// of its arguments returning an exit code.
import { startEmulator } from '@telegram-mt/dc-emulator';
import { runDemo } from './demo.js';
import { createOut } from './ui.js';

const USAGE = `usage: tgmt <command>

commands:
  demo        run the demo against an embedded emulator (what \`npm start\` runs)
  emulator    start the DC emulator standalone and print its DCs as JSON (Ctrl-C stops it)
  help        this text`;

export async function main(argv: string[]): Promise<number> {
  const [command = 'help', ...rest] = argv;
  const out = createOut();
  try {
    switch (command) {
      case 'demo':
        await runDemo(out);
        return 0;
      case 'emulator': {
        const emulator = await startEmulator({ dcCount: Number(rest[0] ?? 3) || 3 });
        const { dcs, rsaPublicKeys } = emulator;
        out.line(JSON.stringify({ dcs, rsaPublicKeys }, null, 2));
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await emulator.stop();
        return 0;
      }
      case 'help':
      case '--help':
      case '-h':
        out.line(USAGE);
        return 0;
      default:
        process.stderr.write(`tgmt: unknown command '${command}'\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    process.stderr.write(`tgmt ${command}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    return 1;
  }
}
