import type { ConnectionOptions } from '../network/connection.js';
import type { DeviceInfo } from '../network/init-connection.js';
import type { TransportWireOptions } from '../network/transport-wire.js';
import type { DcEndpoint, WireFactory } from '../network/wire.js';
import { PRODUCTION_DCS, PRODUCTION_RSA_KEYS, TEST_DCS, TEST_RSA_KEYS } from '../mtproto/production.js';
import type { Storage } from '../storage/storage.js';
import type { PfsOptions } from '../mtproto/pfs/temp-key-manager.js';

export interface TelegramClientOptions {
  /** From my.telegram.org. */
  apiId: number;
  apiHash: string;
  /** Where the login, keys, peers and updates state live; a new `MemoryStorage` by default. */
  storage?: Storage;
  /** The DCs to use: Telegram's production DCs by default (test DCs with `testDc`); pass `emulator.dcs` for the emulator. */
  dcs?: readonly DcEndpoint[];
  /** Where a fresh login starts (Telegram redirects with PHONE_MIGRATE when the number lives elsewhere). Default 2. */
  defaultDcId?: number;
  /** Server keys to trust (PKCS#1 PEM); Telegram's by default. */
  rsaPublicKeys?: readonly string[];
  /** Telegram's test DCs (their ids go to the handshake as id + 10000). */
  testDc?: boolean;
  /** How to reach DCs: transport options (codec, obfuscation, WebSocket, proxy) or a wire factory. Default TCP intermediate. */
  transport?: TransportWireOptions | WireFactory;
  /** initConnection's device fields. */
  device?: Partial<DeviceInfo>;
  /**
   * Perfect forward secrecy: traffic on a temporary key bound to the
   * permanent one, renewed before it expires. Default true. Telegram keeps one
   * bound temporary key per permanent key, so a DC's main connection and its
   * transfer lanes share one.
   */
  pfs?: boolean | Partial<PfsOptions>;
  /** FLOOD_WAIT_X of at most this many seconds is slept through and the call retried; longer ones throw FloodWaitError. Default 60. */
  floodSleepThreshold?: number;
  /** Run the updates engine once logged in (events, gap filling, persisted state). Default true. */
  updates?: boolean;
  /** Most time, ms, the first connect to a DC may take before calls on it fail with UNREACHABLE (default 30 s; the connection retries with backoff meanwhile). */
  connectTimeout?: number;
  /** Connections per DC for file transfers (lanes 1…n; lane 0 is the main one). Default 4. */
  transferConnections?: number;
  /** Events an `updates()` iterator may hold before it fails with EVENTS_OVERFLOW. Default 10,000. */
  maxQueuedEvents?: number;
  /** Anything else a Connection takes (timeouts, reconnect policy, limits, a clock). */
  connection?: Partial<Omit<ConnectionOptions, 'dc' | 'authKey' | 'apiId' | 'wire' | 'rsaPublicKeys' | 'device' | 'pfs' | 'testDc'>>;
  /** Diagnostics, one line each. */
  log?: (line: string) => void;
}

export function defaultDcs(testDc: boolean | undefined): DcEndpoint[] {
  return (testDc ? TEST_DCS : PRODUCTION_DCS).map((d) => ({ id: d.id, host: d.ipv4, port: d.port }));
}

export function defaultRsaKeys(testDc: boolean | undefined): readonly string[] {
  return testDc ? TEST_RSA_KEYS : PRODUCTION_RSA_KEYS;
}
