// Idle connected clients of each library, many sessions on one auth key:
// the first client makes the key (and warms the library up), every other
// one connects with it, makes its first call (initConnection inside) and
// then sits idle. Nothing here measures; child.ts does.
import { Connection, transportWire, type ConnectionOptions } from '@telegram-mt/client';
import type { PeerTarget } from '../peers/peer.js';

/** A library's way to open idle clients: `seed` makes the key, `open` reuses it. */
export interface IdleClients {
  /** Connects the first client (a new auth key) and makes one call. */
  seed(target: PeerTarget): Promise<void>;
  /** Connects one more client on the seed's key and makes one call; resolves to its close. */
  open(target: PeerTarget): Promise<() => Promise<void>>;
}

function ours(pfs: boolean): IdleClients {
  let key: ConnectionOptions['authKey'];
  const options = (target: PeerTarget): ConnectionOptions => ({
    dc: target.dc,
    apiId: 1,
    rsaPublicKeys: target.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    // Its defaults otherwise: keep-alive every 60 s, probes every 10 s.
    pfs,
  });
  return {
    async seed(target) {
      const c = new Connection({ ...options(target), pfs: false });
      await c.invoke({ _: 'help.getNearestDc' });
      key = c.authKey;
    },
    async open(target) {
      // A permanent key binds one temporary key at a time (core.telegram.org/method/auth.bindTempAuthKey):
      // with PFS every client makes its own permanent key too, as separate users would.
      const c = new Connection({ ...options(target), ...(pfs ? {} : { authKey: key }) });
      await c.invoke({ _: 'help.getNearestDc' });
      return async () => c.close();
    },
  };
}

async function gramjs(): Promise<IdleClients> {
  const { connect, firstCall } = await import('../peers/gramjs.js');
  const { Api } = await import('telegram/tl/index.js');
  let authKey: unknown;
  const first = (sender: Awaited<ReturnType<typeof connect>>) => sender.send(firstCall(new Api.help.GetNearestDc()));
  return {
    async seed(target) {
      const sender = await connect(target);
      await first(sender);
      authKey = sender.authKey;
    },
    async open(target) {
      const sender = await connect(target, authKey);
      await first(sender);
      return () => sender.disconnect();
    },
  };
}

async function mtcute(): Promise<IdleClients> {
  const { client, correctAckSeqNo } = await import('../peers/mtcute.js');
  const { MemoryStorage } = await import('@mtcute/node');
  let key: Uint8Array | null = null;
  const open = async (target: PeerTarget, first: boolean) => {
    const storage = new MemoryStorage();
    let failure: unknown;
    const c = await client(target, storage, (e) => (failure ??= e));
    if (!first) await storage.authKeys.set(target.dc.id, key);
    await c.connect();
    // mtcute numbers its acks as content-related; corrected once, on its session class (see peers/mtcute.ts).
    if (first) correctAckSeqNo(c);
    const r = await c.call({ _: 'help.getNearestDc' });
    if (failure !== undefined) throw failure;
    if (r._ !== 'nearestDc') throw new Error(`help.getNearestDc gave ${JSON.stringify(r)}`);
    if (first) key = await storage.authKeys.get(target.dc.id);
    return async () => {
      await c.disconnect();
      await c.destroy();
    };
  };
  return {
    async seed(target) {
      await open(target, true);
    },
    open: (target) => open(target, false),
  };
}

export const LIBRARIES: Record<string, () => Promise<IdleClients>> = {
  'telegram-mt': async () => ours(false),
  'telegram-mt (PFS)': async () => ours(true),
  gramjs,
  mtcute,
};
