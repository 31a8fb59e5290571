import type { StorageDriver } from '../driver.js';
import { asRecord, badValue, bool, int, long, optInt, optStr } from './records.js';

/** The DC the account lives on, and optionally where to reach it (for test or emulated DCs). */
export interface HomeDc {
  dcId: number;
  host?: string;
  port?: number;
}

/** Who is logged in. */
export interface SelfInfo {
  userId: bigint;
  isBot: boolean;
}

/** The session's home DC and its logged-in user. */
export class SessionRepository {
  constructor(private readonly driver: StorageDriver) {}

  async getHomeDc(): Promise<HomeDc | undefined> {
    const raw = await this.driver.get('home-dc');
    if (raw === undefined) return undefined;
    const r = asRecord(raw, 'home DC');
    const out: HomeDc = { dcId: int(r, 'dcId', 'home DC', 1, 0xffff) };
    const host = optStr(r, 'host', 'home DC');
    const port = optInt(r, 'port', 'home DC', 1, 0xffff);
    if (host !== undefined) out.host = host;
    if (port !== undefined) out.port = port;
    return out;
  }

  async setHomeDc(dc: HomeDc): Promise<void> {
    if (!Number.isInteger(dc.dcId) || dc.dcId < 1 || dc.dcId > 0xffff) badValue(`home DC id ${dc.dcId} is not an integer in 1..65535`);
    if (dc.port !== undefined && (!Number.isInteger(dc.port) || dc.port < 1 || dc.port > 0xffff)) badValue(`home DC port ${dc.port} is not a port`);
    const record: Record<string, string | number> = { dcId: dc.dcId };
    if (dc.host !== undefined) record.host = dc.host;
    if (dc.port !== undefined) record.port = dc.port;
    await this.driver.set('home-dc', record);
  }

  async getSelf(): Promise<SelfInfo | undefined> {
    const raw = await this.driver.get('self');
    if (raw === undefined) return undefined;
    const r = asRecord(raw, 'self');
    return { userId: long(r, 'userId', 'self'), isBot: bool(r, 'isBot', 'self') };
  }

  async setSelf(self: SelfInfo | undefined): Promise<void> {
    if (self === undefined) return this.driver.delete('self');
    if (typeof self.userId !== 'bigint' || self.userId <= 0n) badValue('self userId must be a positive bigint');
    await this.driver.set('self', { userId: self.userId, isBot: !!self.isBot });
  }
}
