// tgmt-emulator: runs the emulator standalone and prints where it listens.
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions } from './emulator.js';
import type { Misbehaviour } from './faults.js';

const usage = `usage: tgmt-emulator [--dcs N] [--port P] [--host H] [--rsa-key FILE] [--misbehave MODE] [--no-precompute] [--verbose]

Starts N loopback DCs (default 3) and prints {"dcs":[{id,host,port}],"rsaPublicKeys":[PEM]}
as one JSON line on stdout. --port P gives DC i the port P+i-1 (default: ports the OS picks).
Stops on SIGINT or SIGTERM.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dcs: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'rsa-key': { type: 'string' },
      misbehave: { type: 'string' },
      verbose: { type: 'boolean' },
      'no-precompute': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const count = values.dcs === undefined ? 3 : Number(values.dcs);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new RangeError(`--dcs must be 1…100, got ${values.dcs}`);
  if (!Number.isInteger(port) || port < 0 || port + count > 65536) throw new RangeError(`bad --port ${values.port}`);
  const opts: EmulatorOptions = {
    dcs: Array.from({ length: count }, (_, i) => ({ id: i + 1, port: port === 0 ? 0 : port + i })),
    host: values.host,
    rsaKeyPath: values['rsa-key'],
    misbehave: values.misbehave as Misbehaviour | undefined,
    log: values.verbose ? (line) => console.error(line) : undefined,
    handshakePrecompute: !values['no-precompute'],
  };
  // Listen for signals before starting, so one that comes during start-up still stops cleanly.
  const started = startEmulator(opts);
  const stop = (): void => {
    void started.then((e) => e.stop()).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const emulator = await started;
  console.log(JSON.stringify({ dcs: emulator.dcs, rsaPublicKeys: emulator.rsaPublicKeys }));
}

main().catch((err: Error) => {
  console.error(`tgmt-emulator: ${err.message}`);
  process.exit(1);
});
