// A FileHost over bare Connections to the DC emulator, for the end-to-end file
// tests and the benchmark: per (DC, lane) a connection; lane 0 of a DC makes
// its auth key and the others share it (one key, several sessions); a DC
// other than home gets the login by auth.exportAuthorization at home and
// auth.importAuthorization there, once.
import type { TlResult, tl } from '@telegram-mt/tl';
import { Connection, transportWire, type ConnectionOptions } from '../src/index.js';
import type { FileHost, FileHostInvokeOptions } from '../src/files/index.js';

export interface EmulatorLike {
  dcs: readonly { id: number; host: string; port: number }[];
  rsaPublicKeys: readonly string[];
}

/** What the host needs of a connection (the benchmark passes the built package's Connection). */
export interface HostConnection {
  readonly authKey: ConnectionOptions['authKey'];
  readonly pending: number;
  readonly reconnects: number;
  connect(): Promise<void>;
  invoke<R extends tl.TlMethod>(request: R, opts?: { signal?: AbortSignal; timeout?: number }): Promise<TlResult<R>>;
  close(): void;
}

export class ConnectionFileHost implements FileHost {
  private readonly lanes = new Map<string, Promise<HostConnection>>();
  private readonly authorized = new Map<number, Promise<void>>();
  readonly opened: HostConnection[] = [];
  /** DCs a connection was opened to, in order. */
  readonly dcsUsed: number[] = [];

  constructor(
    private readonly emulator: EmulatorLike,
    readonly homeDcId: number,
    readonly transferConnections = 4,
    private readonly extra: Partial<ConnectionOptions> = {},
    private readonly make: (opts: ConnectionOptions) => HostConnection = (opts) => new Connection(opts),
  ) {}

  /** Signs `phone` in on the home DC with the code from the emulator's inbox. */
  async login(phone: string, inbox: (phone: string) => readonly string[]): Promise<tl.user> {
    const c = await this.connection(this.homeDcId, 0);
    const sent = (await c.invoke({ _: 'auth.sendCode', phoneNumber: phone, apiId: 1, apiHash: 'files-test', settings: { _: 'codeSettings' } })) as tl.auth.sentCode;
    const auth = await c.invoke({ _: 'auth.signIn', phoneNumber: phone, phoneCodeHash: sent.phoneCodeHash, phoneCode: inbox(phone).at(-1)! });
    if (auth._ !== 'auth.authorization') throw new Error(`signIn gave ${auth._}`);
    return auth.user as tl.user;
  }

  connection(dcId: number, lane: number): Promise<HostConnection> {
    const key = `${dcId}:${lane}`;
    let p = this.lanes.get(key);
    if (p === undefined) {
      p = this.open(dcId, lane);
      this.lanes.set(key, p);
    }
    return p;
  }

  private async open(dcId: number, lane: number): Promise<HostConnection> {
    const dc = this.emulator.dcs.find((d) => d.id === dcId);
    if (dc === undefined) throw new RangeError(`no DC ${dcId}`);
    const authKey = lane === 0 ? undefined : (await this.connection(dcId, 0)).authKey;
    const c = this.make({
      dc,
      apiId: 1,
      rsaPublicKeys: this.emulator.rsaPublicKeys,
      wire: transportWire({ codec: 'intermediate' }),
      pfs: false,
      pingInterval: 0,
      // File parts are not worth compressing (random-looking bytes): trying costs more than the cipher.
      limits: { gzipThreshold: 2 ** 30 },
      ...this.extra,
      ...(authKey ? { authKey } : {}),
    });
    this.opened.push(c);
    this.dcsUsed.push(dcId);
    await c.connect();
    return c;
  }

  private authorize(dcId: number): Promise<void> {
    let p = this.authorized.get(dcId);
    if (p === undefined) {
      p = (async () => {
        const home = await this.connection(this.homeDcId, 0);
        const exported = await home.invoke({ _: 'auth.exportAuthorization', dcId });
        const there = await this.connection(dcId, 0);
        await there.invoke({ _: 'auth.importAuthorization', id: exported.id, bytes: exported.bytes });
      })();
      this.authorized.set(dcId, p);
    }
    return p;
  }

  async invokeOnDc<R extends tl.TlMethod>(dcId: number, request: R, opts: FileHostInvokeOptions = {}): Promise<TlResult<R>> {
    if (dcId !== this.homeDcId) await this.authorize(dcId);
    const c = await this.connection(dcId, opts.lane ?? 0);
    return c.invoke(request, { signal: opts.signal, timeout: opts.timeout });
  }

  /** Calls awaiting an answer on every connection. */
  get pending(): number {
    return this.opened.reduce((n, c) => n + c.pending, 0);
  }

  close(): void {
    for (const c of this.opened) c.close();
  }
}
