// The DC emulator (tools/dc-emulator) for end-to-end tests, from its build.
// It depends on this package, so it cannot be a dependency of it: it is
// imported from the workspace by path. Build it first:
// `npm run build -w @telegram-mt/dc-emulator`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as Emu from '../../../../tools/dc-emulator/dist/index.js';

const entry = new URL('../../../../tools/dc-emulator/dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  throw new Error(`the DC emulator is not built (${fileURLToPath(entry)}): run npm run build -w @telegram-mt/dc-emulator`);
}
const emu = (await import(entry.href)) as typeof Emu;

export const startEmulator = emu.startEmulator;
export const EmulatorRpcError = emu.RpcError;
export type Emulator = Emu.Emulator;
export type PacketFaults = Emu.PacketFaults;
export type FaultPacketInfo = Emu.FaultPacketInfo;
/** A fault of the emulator's own injector (`emulator.faults.set(target, fault)`). */
export type EmulatorFault = Parameters<Emu.Emulator['faults']['set']>[1];

/**
 * Faults switched on and off by the test while calls run, on the client's
 * packets (what the emulator receives): close the connection on every n-th
 * (the packet is lost with it), deliver every n-th twice, or swallow
 * everything for a while without closing (a half-open connection).
 */
export class FaultPlan implements PacketFaults {
  emulator: Emulator | undefined;
  dropEvery = 0;
  duplicateEvery = 0;
  stallUntil = 0;
  /** Every n-th client packet is answered with this transport error (−429, −444 …) and the connection closed. */
  transportErrorEvery = 0;
  transportError = -429;
  seen = 0;
  drops = 0;
  duplicates = 0;
  private readonly replayed = new WeakSet<Uint8Array>();

  incoming(packet: Uint8Array, info: FaultPacketInfo): Uint8Array | null {
    if (this.replayed.has(packet)) return packet;
    const n = ++this.seen;
    if (Date.now() < this.stallUntil) return null;
    if (this.dropEvery > 0 && n % this.dropEvery === 0) {
      this.drops++;
      this.connection(info)?.close();
      return null;
    }
    if (this.transportErrorEvery > 0 && n % this.transportErrorEvery === 0) {
      const c = this.connection(info);
      // The link is the emulator's own; a test reaches for it to send what only faults send.
      (c as unknown as { link?: { sendTransportError(code: number): void } } | undefined)?.link?.sendTransportError(this.transportError);
      c?.close();
      this.drops++;
      return null;
    }
    if (this.duplicateEvery > 0 && n % this.duplicateEvery === 0) {
      const c = this.connection(info);
      const copy = packet.slice();
      this.replayed.add(copy);
      this.duplicates++;
      setImmediate(() => c?.onPacket(copy));
    }
    return packet;
  }

  private connection(info: FaultPacketInfo) {
    return this.emulator?.dc(info.dcId).openConnections.find((c) => c.id === info.connectionId);
  }
}
