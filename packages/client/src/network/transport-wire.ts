import { createAesCtr } from '@telegram-mt/crypto-native';
import { createTransport, type TransportOptions } from '@telegram-mt/transport';
import { allocReceived, isRecyclable, recyclePacket } from '../mtproto/session/slab.js';
import type { PacketWire, WireFactory } from './wire.js';

export interface TransportWireOptions extends TransportOptions {
  /** Most time to open the socket (and proxy, and obfuscation), ms. Default 10 s. */
  connectTimeout?: number;
}

/**
 * A wire over `@telegram-mt/transport`: any codec (abridged, intermediate,
 * padded, full), obfuscated or not, over TCP, WebSocket or a proxy.
 */
export function transportWire(options: TransportWireOptions = {}): WireFactory {
  const { connectTimeout = 10_000, ...transportOptions } = options;
  return async (dc, handlers) => {
    // Obfuscation's AES-256-CTR from crypto-native (AES-NI, 8 blocks in flight; node:crypto without the addon).
    const t = createTransport(
      { host: dc.host, port: dc.port, dcId: dc.wireDcId },
      // Large packets are joined in pooled buffers that a download gives back (see slab.ts).
      { ...transportOptions, aesCtr: transportOptions.aesCtr ?? createAesCtr, allocPacket: transportOptions.allocPacket ?? allocReceived },
    );
    let failure: Error | undefined;
    let open = true;
    t.on('packet', (packet) => {
      // This wire is the transport's only listener, so its packets are ours to decrypt in place.
      if (open) handlers.onPacket(packet, true);
    });
    t.on('error', (e) => {
      failure ??= e;
    });
    t.on('close', () => {
      if (!open) return;
      open = false;
      handlers.onClose(failure);
    });
    await t.connect(AbortSignal.timeout(connectTimeout));
    const wire: PacketWire = {
      send: (packet) => {
        // Failures surface as the transport's error + close events.
        try {
          if (isRecyclable(packet)) {
            // A large session packet is nobody else's: the transport may encrypt it in place, and once
            // written (send resolved) its buffer serves the next one. After a failure it is left to the GC.
            t.send(packet, { owned: true }).then(() => recyclePacket(packet), () => undefined);
          } else {
            t.send(packet).catch(() => undefined);
          }
        } catch {
          // A transport that refuses synchronously is closing: its close event follows.
        }
      },
      close: () => {
        open = false;
        void t.close().catch(() => undefined);
      },
    };
    return wire;
  };
}
