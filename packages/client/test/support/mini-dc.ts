// A minimal DC for the connection tests, built from this package's own
// server-side parts (ServerHandshake + ServerSession), reached through an
// in-memory wire or the transport package's acceptor on 127.0.0.1. The real
// emulator lives in tools/dc-emulator; this one only answers what the tests
// need, and records what it saw so the tests can check the wire.
import { deserializeObject, serializeResult, type tl } from '@telegram-mt/tl';
import { ServerHandshake, type HandshakeMisbehaviour } from '../../src/mtproto/handshake/server.js';
import { generateRsaKeyPair, type RsaKeyPair } from '../../src/mtproto/rsa.js';
import { ServerSession, type ServerSessionEvent } from '../../src/mtproto/session/server/session.js';
import type { PacketWire, WireFactory } from '../../src/network/wire.js';
import { readLong } from '../../src/mtproto/session/wire.js';

let sharedKeys: RsaKeyPair | undefined;
/** One RSA key pair per test process: generating one takes a while. */
export function testKeys(): RsaKeyPair {
  return (sharedKeys ??= generateRsaKeyPair());
}

export interface MiniDcOptions {
  dcId?: number;
  misbehave?: HandshakeMisbehaviour;
  /** A salt other than the handshake's (the client then meets bad_server_salt first). */
  serverSalt?: bigint;
  /** Methods never answered (for timeout tests). */
  silent?: Set<string>;
}

/** What one connection sent and got. */
export interface Seen {
  handshakes: number;
  /** msg_ids the client acknowledged. */
  acks: bigint[];
  /** bad_msg_notification / bad_server_salt codes sent. */
  rejected: number[];
  requests: tl.TlAny[];
  pings: ServerSessionEvent[];
  layers: number[];
}

/** Server side of one connection: plain packets go to the handshake, encrypted ones to the session. */
export class MiniDc {
  readonly keys = new Map<bigint, { authKey: Uint8Array; serverSalt: bigint }>();
  readonly seen: Seen = { handshakes: 0, acks: [], rejected: [], requests: [], pings: [], layers: [] };
  /** Live connections: their session and a way to write to them, for pushing updates. */
  readonly live: { session: ServerSession; send(packet: Uint8Array): void }[] = [];
  readonly dcId: number;
  /** Why handshakes were refused. */
  readonly failures: Error[] = [];

  constructor(readonly opts: MiniDcOptions = {}) {
    this.dcId = opts.dcId ?? 2;
  }

  /** Handles one connection: `send` writes to the client. Returns the packet handler. */
  accept(send: (packet: Uint8Array) => void, close: () => void): (packet: Uint8Array) => void {
    let handshake: ServerHandshake | undefined;
    let session: ServerSession | undefined;
    return (packet) => {
      const keyId = readLong(packet, 0);
      if (keyId === 0n) {
        if (handshake === undefined) {
          this.seen.handshakes++;
          handshake = new ServerHandshake({ dcId: this.dcId, keys: [testKeys()], misbehave: this.opts.misbehave });
        }
        try {
          const step = handshake.receive(packet);
          if (step.send) send(step.send);
          if (step.done) {
            this.keys.set(step.done.authKeyId, { authKey: step.done.authKey, serverSalt: step.done.serverSalt });
            handshake = undefined;
          }
        } catch (e) {
          this.failures.push(e as Error);
          close();
        }
        return;
      }
      if (session === undefined) {
        const key = this.keys.get(keyId);
        if (key === undefined) {
          send(Uint8Array.of(0x6c, 0xfe, 0xff, 0xff)); // -404
          return;
        }
        session = new ServerSession({ authKey: key.authKey, serverSalt: this.opts.serverSalt ?? key.serverSalt });
        this.live.push({ session, send });
      }
      for (const e of session.receive(packet)) {
        if (e.type === 'ping') this.seen.pings.push(e);
        if (e.type === 'ack') this.seen.acks.push(...e.msgIds);
        if (e.type === 'rejected') this.seen.rejected.push(e.code);
        if (e.type === 'request') this.dispatch(session, e.msgId, e.body);
      }
      for (const out of session.flush()) send(out);
    };
  }

  /** Sends an update (any serialized object) to every live connection; returns the msg_ids used. */
  push(body: Uint8Array): void {
    for (const { session, send } of this.live) {
      session.sendMessage(body);
      for (const out of session.flush()) send(out);
    }
  }

  private dispatch(session: ServerSession, msgId: bigint, body: Uint8Array): void {
    let call = deserializeObject(body) as { _: string; [k: string]: unknown };
    this.seen.requests.push(call as tl.TlAny);
    for (;;) {
      if (call._ === 'invokeWithLayer') {
        this.seen.layers.push(call.layer as number);
        call = call.query as typeof call;
      } else if (call._ === 'initConnection') {
        call = call.query as typeof call;
      } else break;
    }
    if (this.opts.silent?.has(call._)) return;
    switch (call._) {
      case 'help.getNearestDc':
        session.sendResult(
          msgId,
          serializeResult('help.getNearestDc', { _: 'nearestDc', country: 'NL', thisDc: this.dcId, nearestDc: this.dcId }),
        );
        return;
      case 'help.getCountriesList':
        session.sendError(msgId, 420, 'FLOOD_WAIT_42');
        return;
      default:
        session.sendError(msgId, 400, 'METHOD_INVALID');
    }
  }

  /** A WireFactory that reaches this DC in memory; deliveries are asynchronous, like a socket's. */
  memoryWire(): WireFactory {
    return async (_dc, handlers) => {
      let open = true;
      const toClient = (p: Uint8Array) => {
        setImmediate(() => {
          if (open) handlers.onPacket(p);
        });
      };
      const closeFromServer = () => {
        if (!open) return;
        open = false;
        setImmediate(() => handlers.onClose());
      };
      const toServer = this.accept(toClient, closeFromServer);
      const wire: PacketWire = {
        send: (p) => {
          const copy = p.slice();
          setImmediate(() => {
            if (open) toServer(copy);
          });
        },
        close: () => {
          open = false;
        },
      };
      return wire;
    };
  }
}
