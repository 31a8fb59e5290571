// telegram-mt's own Connection (TCP, intermediate codec).
import { Connection, transportWire } from '@telegram-mt/client';
import type { Peer, PeerSession, PeerTarget } from './peer.js';

function connection(target: PeerTarget): Connection {
  return new Connection({
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
  notes: ['Connection over TCP, intermediate codec (its default), layer 228'],

  async newAuthKey(target) {
    const c = connection(target);
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
