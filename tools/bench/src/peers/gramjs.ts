// GramJS (`telegram`, layer 198) through its own MTProtoSender and TCP
// connection class: the layer under its TelegramClient, without the client's
// session storage, update loop and reconnect logic. The emulator's RSA key is
// added to GramJS's key table at run time, under the fingerprint GramJS
// looks keys up by (the signed 64-bit one, as a decimal string).
import { parseRsaPublicKey } from '@telegram-mt/client/mtproto';
import { MTProtoSender, ConnectionTCPFull } from 'telegram/network/index.js';
import { PromisedNetSockets, Logger } from 'telegram/extensions/index.js';
import { LogLevel } from 'telegram/extensions/Logger.js';
import { Api } from 'telegram/tl/index.js';
import { _serverKeys } from 'telegram/crypto/RSA.js';
import { generateRandomLong, readBigIntFromBuffer } from 'telegram/Helpers.js';
import type { Peer, PeerSession, PeerTarget } from './peer.js';

const LAYER = 198;
const logger = new Logger(LogLevel.NONE);
const registered = new Set<string>();

function trustKeys(pems: string[]): void {
  for (const pem of pems) {
    const key = parseRsaPublicKey(pem);
    const fingerprint = BigInt.asIntN(64, key.fingerprint).toString();
    if (registered.has(fingerprint)) continue;
    const n = Buffer.from(key.n.toString(16).padStart(512, '0'), 'hex');
    _serverKeys.set(fingerprint, { n: readBigIntFromBuffer(n, false, false), e: Number(key.e) });
    registered.add(fingerprint);
  }
}

/**
 * Connects a sender with a new auth key, or with `authKey` (another sender's
 * `authKey`, for many sessions on one key); GramJS swallows the failure, so
 * it is caught here to be reported.
 */
export async function connect(target: PeerTarget, authKey?: unknown): Promise<MTProtoSender> {
  trustKeys(target.rsaPublicKeys);
  let failure: unknown;
  const sender = new MTProtoSender(authKey as never, {
    logger,
    dcId: target.dc.id,
    retries: 1,
    delay: 0,
    autoReconnect: false,
    connectTimeout: 10,
    // Only `_errorHandler` of the client is used by the sender's connect.
    client: { _errorHandler: async (e: unknown) => void (failure = e) } as never,
    isMainSender: true,
    securityChecks: true,
  } as never);
  const connection = new ConnectionTCPFull({
    ip: target.dc.host,
    port: target.dc.port,
    dcId: target.dc.id,
    loggers: logger,
    socket: PromisedNetSockets,
    testServers: false,
  });
  const ok = await sender.connect(connection, false);
  if (!ok) {
    await sender.disconnect().catch(() => {});
    throw new Error(`GramJS could not connect: ${(failure as Error | undefined)?.message ?? 'no reason given'}`);
  }
  return sender;
}

const nearestDc = () => new Api.help.GetNearestDc();

/** A connection's first call, inside invokeWithLayer(initConnection(…)) as GramJS's own client sends it. */
export function firstCall<Q extends Api.AnyRequest>(query: Q) {
  return new Api.InvokeWithLayer({
    layer: LAYER,
    query: new Api.InitConnection({
      apiId: 1,
      deviceModel: 'bench',
      systemVersion: process.version,
      appVersion: '1.0',
      systemLangCode: 'en',
      langPack: '',
      langCode: 'en',
      query,
    }),
  });
}

export const gramjs: Peer = {
  name: 'GramJS',
  notes: ['MTProtoSender over ConnectionTCPFull (its Node default), layer 198; no auto-reconnect'],

  async newAuthKey(target) {
    const sender = await connect(target);
    return () => sender.disconnect();
  },

  async open(target): Promise<PeerSession> {
    const sender = await connect(target);
    await sender.send(firstCall(nearestDc()));
    return {
      rpc: () => sender.send(nearestDc())!,
      ping: () => sender.send(new Api.Ping({ pingId: generateRandomLong() }))!,
      close: () => sender.disconnect(),
    };
  },
};
