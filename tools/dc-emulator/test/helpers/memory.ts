// An emulator DC driven in memory, without sockets: a fake packet link on
// the server side, and our client's sans-IO cores on the other. It tests the
// emulator's routing and dispatch apart from any transport.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClientHandshake,
  ClientSession,
  defaultCipher,
  Envelope,
  parseRsaPublicKey,
  systemRandom,
  unpackContainer,
  unpackGzip,
  type AuthKeyResult,
  type ClientSessionEvent,
  type HandshakeMisbehaviour,
} from '@telegram-mt/client/mtproto';
import { deserializeObject, type tl } from '@telegram-mt/tl';
import { Dc } from '../../src/dc.js';
import type { DcConnection, PacketLink } from '../../src/connection.js';
import type { PacketFaults } from '../../src/faults.js';
import { loadOrCreateRsaKeyPair } from '../../src/rsa-store.js';
import { defaultHelpOptions, registerHelpMethods } from '../../src/rpc/help.js';
import { MethodRegistry } from '../../src/rpc/registry.js';
import { registerPing } from '../../src/rpc/ping.js';
import type { FaultInjector } from '../../src/fault-injector.js';
import type { SaltOptions } from '../../src/salts.js';

export const keyPath = join(mkdtempSync(join(tmpdir(), 'tgmt-emu-test-')), 'rsa.pem');

export class MemoryLink implements PacketLink {
  readonly sent: Uint8Array[] = [];
  readonly transportErrors: number[] = [];
  closed = false;
  send(packet: Uint8Array): void {
    this.sent.push(packet);
  }
  sendTransportError(code: number): void {
    this.transportErrors.push(code);
  }
  close(): void {
    this.closed = true;
  }
  take(): Uint8Array[] {
    return this.sent.splice(0);
  }
}

export function memoryDc(
  opts: {
    misbehave?: HandshakeMisbehaviour;
    faults?: PacketFaults;
    id?: number;
    now?: () => number;
    injector?: FaultInjector;
    salts?: Partial<SaltOptions>;
    log?: (line: string) => void;
  } = {},
): Dc {
  const registry = new MethodRegistry();
  registerHelpMethods(registry, defaultHelpOptions);
  registerPing(registry);
  const id = opts.id ?? 2;
  return new Dc({
    id,
    rsaKey: loadOrCreateRsaKeyPair(keyPath),
    registry,
    faults: opts.faults,
    handshakeMisbehaviour: opts.misbehave,
    now: opts.now ?? Date.now,
    injector: opts.injector,
    salts: opts.salts,
    log: opts.log,
    // In memory the handshake runs synchronously: precompute inline, so no work is left behind a test.
    precompute: (work) => work(),
    emulatorDcs: () => [
      { id: 1, host: '127.0.0.1', port: 1001 },
      { id, host: '127.0.0.1', port: 1002 },
    ],
  });
}

/** Runs our client's handshake against a DC connection; throws the client's HandshakeError. */
export function handshake(dc: Dc, conn: DcConnection, link: MemoryLink, temp?: { expiresIn: number }): AuthKeyResult {
  const client = new ClientHandshake({ dcId: dc.id, publicKeys: [parseRsaPublicKey(dc.rsaKey.publicKey.pem)], temp });
  let out: Uint8Array | undefined = client.start();
  for (let i = 0; i < 10 && out !== undefined; i++) {
    conn.onPacket(out);
    const answers = link.take();
    if (answers.length !== 1) throw new Error(`server sent ${answers.length} packets (transport errors: ${link.transportErrors})`);
    const step = client.receive(answers[0]!);
    if (step.done) return step.done;
    out = step.send;
  }
  throw new Error('handshake did not finish');
}

/** Sends what the session queued, waits for the DC's answers and feeds them back until `until` holds. */
export async function exchange(
  session: ClientSession,
  conn: DcConnection,
  link: MemoryLink,
  until: (events: ClientSessionEvent[]) => boolean,
  maxRounds = 20,
): Promise<ClientSessionEvent[]> {
  const events: ClientSessionEvent[] = [];
  for (let round = 0; round < maxRounds; round++) {
    for (const p of session.flush(true)) conn.onPacket(p);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    for (const p of link.take()) events.push(...session.receive(p));
    if (until(events)) return events;
  }
  throw new Error(`no answer after ${maxRounds} rounds: ${JSON.stringify(events.map((e) => e.type))}`);
}

export function newSession(key: AuthKeyResult): ClientSession {
  return new ClientSession({ authKey: key.authKey, serverSalt: key.serverSalt, timeOffset: key.timeOffset });
}

/**
 * Every message the server sent in `packets`, decoded (containers and
 * gzip_packed opened), read independently of how the client session
 * consumes service messages.
 */
export function serverMessages(authKey: Uint8Array, packets: readonly Uint8Array[]): tl.TlAny[] {
  const envelope = new Envelope(authKey, 'client', defaultCipher(), systemRandom);
  const out: tl.TlAny[] = [];
  const read = (body: Uint8Array) => {
    try {
      out.push(deserializeObject(unpackGzip(body, 1 << 24)));
    } catch {
      // rpc_result bodies that are not self-describing (Vector<long> …): not needed here.
    }
  };
  for (const p of packets) {
    const m = envelope.open(p);
    if (typeof m === 'string') continue;
    const isContainer = m.body.length >= 4 && new DataView(m.body.buffer, m.body.byteOffset).getUint32(0, true) === 0x73f1f8dc;
    if (isContainer) for (const inner of unpackContainer(m.body)) read(inner.body);
    else read(m.body);
  }
  return out;
}

/** One round: the session's queued packets to the DC, the DC's answers back (decoded too). */
export async function roundTrip(
  session: ClientSession,
  conn: DcConnection,
  link: MemoryLink,
): Promise<{ events: ClientSessionEvent[]; messages: tl.TlAny[] }> {
  for (const p of session.flush(true)) conn.onPacket(p);
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  const packets = link.take();
  const events = packets.flatMap((p) => session.receive(p));
  return { events, messages: serverMessages(session.core.envelope.authKey, packets) };
}
