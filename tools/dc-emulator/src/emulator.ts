import { ServerHandshake, type HandshakeMisbehaviour } from '@telegram-mt/client/mtproto';
import { LAYER, type SchemaCodec } from '@telegram-mt/tl';
import { layerFromSchema } from './layers.js';
import { BUNDLED_LAYERS, LayerShelf, loadBundledLayer } from './layers/shelf.js';
import { Dc, type DcAddress, type DcStats } from './dc.js';
import { chainFaults, wrongMsgKey, type Misbehaviour, type PacketFaults } from './faults.js';
import { listen, type Listener } from './listener.js';
import { defaultRsaKeyPath, loadOrCreateRsaKeyPair } from './rsa-store.js';
import { defaultHelpOptions, registerHelpMethods, type HelpOptions } from './rpc/help.js';
import { MethodRegistry, type MethodHandler } from './rpc/registry.js';
import { registerPing } from './rpc/ping.js';
import { bindTempAuthKeyHandler } from './rpc/bind-temp-auth-key.js';
import { FaultInjector, type Fault, type FaultHandle, type FaultTarget } from './fault-injector.js';
import { acceptBindTempAuthKey } from './pfs.js';
import type { SaltOptions } from './salts.js';
import type { OutboxLimits } from './outbox.js';
import { World, registerWorldMethods, type WorldOptions } from './world/index.js';

export interface EmulatorOptions {
  /** The world of users, chats and messages (a World to share, or its options). */
  world?: World | WorldOptions;
  /** How many DCs (ids 1…n). Default 3. Ignored when `dcs` is given. */
  dcCount?: number;
  /** DCs by id, each with a fixed port (0 or absent: the OS picks one). */
  dcs?: readonly { id: number; port?: number }[];
  /** Address every DC listens on. Default 127.0.0.1. */
  host?: string;
  /** File that keeps the emulator's RSA private key (created when missing). Default: see `defaultRsaKeyPath`. */
  rsaKeyPath?: string;
  /** Misbehave on purpose, for the client's security tests. */
  misbehave?: Misbehaviour;
  /** Fault injection on the encrypted phase (see faults.ts). */
  faults?: PacketFaults;
  /** Answers of help.getNearestDc / help.getConfig. */
  help?: Partial<HelpOptions>;
  /** Wall clock in ms (default Date.now); the emulator's notion of "now" for msg_ids and config dates. */
  now?: () => number;
  /**
   * Older layers to speak with clients that announce them in invokeWithLayer
   * (`createSchemaCodec([mtprotoTl, apiTl])` of @telegram-mt/tl, the text
   * carrying its `// LAYER N` line). Other layers get the generated one.
   * These come on top of the bundled ones (and replace one of the same number).
   */
  layers?: readonly SchemaCodec[];
  /**
   * Speak the layers whose schemas ship with the emulator (`BUNDLED_LAYERS`:
   * 198 for GramJS, 227 for mtcute), each loaded when a client first
   * announces it. Default true.
   */
  bundledLayers?: boolean;
  /** Diagnostics (refused connections and the like). Default: none. */
  log?: (line: string) => void;
  /** How server salts rotate: `lifetimeSeconds` (default 3600) and `graceSeconds` for the previous one (default 1800). */
  salts?: Partial<SaltOptions>;
  /**
   * What a session without a connection may keep of the updates pushed to it
   * until its client comes back (per session: messages, bytes, age; per DC:
   * bytes). Defaults: 1,000 messages, 4 MB, 15 minutes; 64 MB per DC.
   */
  outbox?: Partial<OutboxLimits>;
  /** Seed of the fault injector's PRNG (probabilistic faults replay exactly with the same seed). Default 1. */
  faultSeed?: number;
  /**
   * Compute the server's g_a right after resPQ goes out, while the client
   * factorizes pq (default true). Off only to measure what it saves.
   */
  handshakePrecompute?: boolean;
}

/** Faults set and lifted by tests while the emulator runs (see fault-injector.ts). */
export interface EmulatorFaults {
  /** Sets a fault for a DC (default every DC) and optionally one connection (id or predicate); returns its handle. */
  set(target: FaultTarget, fault: Fault): FaultHandle;
  /** Lifts one fault, or all of them. */
  clear(handle?: FaultHandle): void;
  /** What is set now. */
  list(): { handle: FaultHandle; target: FaultTarget; fault: Fault }[];
}

/** What `startEmulator` resolves to. */
export interface Emulator {
  /** Users, chats, messages; `world.inbox(phone)` holds the login codes sent. */
  world: World;
  /** The DCs, in id order, with the port each listens on. */
  dcs: DcAddress[];
  /** PKCS#1 PEM public keys (`-----BEGIN RSA PUBLIC KEY-----`) clients must trust. */
  rsaPublicKeys: string[];
  /** The method registry every DC dispatches to. */
  registry: MethodRegistry;
  /** Adds or replaces a method handler on every DC. */
  registerMethod: MethodRegistry['register'];
  /** Fault injection on demand. */
  faults: EmulatorFaults;
  /** Counters of one DC. */
  stats(dcId: number): DcStats;
  /** The DC object itself (its auth keys, connections), for tests. */
  dc(dcId: number): Dc;
  /** Closes every listener and connection. */
  stop(): Promise<void>;
}

const HANDSHAKE_MISBEHAVIOURS: readonly string[] = ['bad_dh_prime', 'g_a_range', 'wrong_nonce', 'wrong_answer_hash'];

/**
 * Starts a loopback Telegram: several DCs, each accepting every MTProto
 * transport (and WebSocket) on one TCP port, speaking the server side of
 * the handshake and of encrypted sessions, and answering calls from a
 * method registry.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const specs = options.dcs ?? Array.from({ length: options.dcCount ?? 3 }, (_, i) => ({ id: i + 1, port: 0 }));
  if (specs.length === 0) throw new RangeError('an emulator needs at least one DC');
  const ids = new Set<number>();
  for (const s of specs) {
    if (!Number.isInteger(s.id) || s.id < 1 || s.id > 9999 || ids.has(s.id)) throw new RangeError(`bad or repeated DC id ${s.id}`);
    ids.add(s.id);
  }
  const misbehave = options.misbehave;
  if (misbehave !== undefined && misbehave !== 'wrong_msg_key' && !HANDSHAKE_MISBEHAVIOURS.includes(misbehave)) {
    throw new RangeError(`unknown misbehaviour '${misbehave}'`);
  }
  const rsaKey = loadOrCreateRsaKeyPair(options.rsaKeyPath ?? defaultRsaKeyPath());
  const registry = new MethodRegistry();
  registerHelpMethods(registry, { ...defaultHelpOptions, ...options.help });
  registerPing(registry);
  // Built once here, so no handshake pays for checking the DH prime (the check is cached per prime).
  new ServerHandshake({ dcId: 1, keys: [rsaKey] });
  const injector = new FaultInjector(options.faultSeed ?? 1);
  const faults = chainFaults(misbehave === 'wrong_msg_key' ? wrongMsgKey : undefined, options.faults);
  const now = options.now ?? Date.now;
  const layers = new LayerShelf(options.log);
  for (const codec of options.layers ?? []) {
    const l = layerFromSchema(codec);
    if (l.layer !== LAYER) layers.add(l);
  }
  if (options.bundledLayers !== false) {
    for (const n of BUNDLED_LAYERS) if (n !== LAYER) layers.addLazy(n, () => loadBundledLayer(n));
  }

  const addresses: DcAddress[] = [];
  const dcs = new Map<number, Dc>();
  const listeners: Listener[] = [];
  for (const s of specs) {
    dcs.set(
      s.id,
      new Dc({
        id: s.id,
        rsaKey,
        registry,
        faults,
        handshakeMisbehaviour: misbehave === 'wrong_msg_key' ? undefined : (misbehave as HandshakeMisbehaviour | undefined),
        now,
        layers,
        log: options.log,
        emulatorDcs: () => addresses,
        injector,
        salts: options.salts,
        ...(options.outbox ? { outbox: options.outbox } : {}),
        precompute: options.handshakePrecompute === false ? () => undefined : undefined,
      }),
    );
  }
  injector.listen({
    onStaleSalt: (dcId) => {
      for (const dc of dcs.values()) if (dcId === undefined || dc.id === dcId) dc.rotateSaltsNow();
    },
  });
  // auth.bindTempAuthKey with every check of the client package's verifier, one binding table per DC.
  registry.register(
    'auth.bindTempAuthKey',
    bindTempAuthKeyHandler({
      accept: acceptBindTempAuthKey,
      keysOf: (id) => (authKeyId) => dcs.get(id)?.authKeys.get(authKeyId),
      bindingsOf: (id) => dcs.get(id)!.tempKeyBindings,
      onRefused: (id, text, refusal) => options.log?.(`dc${id}: auth.bindTempAuthKey refused: ${text} (${refusal})`),
    }),
  );
  // The emulated world: users, chats, messages and their update boxes. Updates go to every
  // session of every key the user is logged in with, except the one whose answer carries them.
  const world = options.world instanceof World ? options.world : new World({ now, log: options.log, ...options.world });
  registerWorldMethods(registry, world);
  world.onUpdate((userId, updates, origin) => {
    for (const { dcId, authKeyId } of world.authKeysOf(userId)) {
      const except = origin && origin.dcId === dcId && origin.authKeyId === authKeyId ? origin.sessionId : undefined;
      dcs.get(dcId)?.pushUpdates(authKeyId, except, updates);
    }
  });
  world.onAuthKeyUpdate((dcId, authKeyId, updates) => dcs.get(dcId)?.pushUpdates(authKeyId, undefined, updates));

  try {
    for (const s of specs) {
      const dc = dcs.get(s.id)!;
      const l = await listen(dc, host, s.port ?? 0);
      listeners.push(l);
      addresses.push({ id: s.id, host, port: l.port });
    }
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close()));
    throw err;
  }

  let stopped: Promise<void> | undefined;
  const dcOf = (id: number): Dc => {
    const dc = dcs.get(id);
    if (dc === undefined) throw new RangeError(`no DC ${id} in this emulator`);
    return dc;
  };
  return {
    world,
    dcs: addresses,
    rsaPublicKeys: [rsaKey.publicKey.pem],
    registry,
    registerMethod: ((name: string, handler: MethodHandler<any>) => registry.register(name as never, handler)) as MethodRegistry['register'],
    faults: {
      set: (target, fault) => {
        if (target.dc !== undefined) dcOf(target.dc);
        return injector.set(target, fault);
      },
      clear: (handle) => injector.clear(handle),
      list: () => injector.list(),
    },
    stats: (id) => dcOf(id).stats,
    dc: dcOf,
    stop: () => {
      stopped ??= (async () => {
        for (const dc of dcs.values()) dc.closeAll();
        await Promise.all(listeners.map((l) => l.close()));
      })();
      return stopped;
    },
  };
}
