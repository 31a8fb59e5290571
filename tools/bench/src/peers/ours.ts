// telegram-mt's own Connection (TCP, intermediate codec).
import { Connection, transportWire } from '@telegram-mt/client';
import type { Peer, PeerSession, PeerTarget } from './peer.js';

// `pfs` is on by default, and then connect() makes two keys (permanent, then
// temporary) and binds them: the handshake row times one key, so it turns it off.
function connection(target: PeerTarget, pfs = true): Connection {
  return new Connection({
    pfs,
    dc: target.dc,
    apiId: 1,
    rsaPublicKeys: target.rsaPublicKeys,
    wire: transportWire({ codec: 'intermediate' }),
    pingInterval: 0,
    requestTimeout: 60_000,
  });
}

export const ours: Peer = {
  name: 'telegram-mt',
  notes: ['Connection over TCP, intermediate codec (its default), layer 228', 'handshake row: one permanent key (pfs: false); the call rows use PFS (its default)'],

  async newAuthKey(target) {
    const c = connection(target, false);
    try {
      await c.connect();
    } catch (e) {
      c.close();
      throw e;
    }
    return async () => c.close();
  },

  async open(target): Promise<PeerSession> {
    const c = connection(target);
    await c.invoke({ _: 'help.getNearestDc' });
    return {
      rpc: () => c.invoke({ _: 'help.getNearestDc' }),
      ping: () => c.ping(),
      close: async () => c.close(),
    };
  },
};
