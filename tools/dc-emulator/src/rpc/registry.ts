import type { tl, TlResult } from '@telegram-mt/tl';
import type { RpcError } from './rpc-error.js';

/** What the connection knows about its client, from initConnection. */
export interface ClientInfo {
  apiId: number;
  deviceModel: string;
  systemVersion: string;
  appVersion: string;
  systemLangCode: string;
  langPack: string;
  langCode: string;
}

/** Everything a method handler may look at besides the request itself. */
export interface RpcContext {
  /** The DC that received the call. */
  readonly dcId: number;
  /** Every DC of this emulator (for config answers and *_MIGRATE errors). */
  readonly dcs: readonly { id: number; host: string; port: number }[];
  /**
   * The key the login is on: the permanent key, also when the call came on a
   * temporary key bound to it (PFS), so a login outlives each temporary key.
   */
  readonly authKeyId: bigint;
  /** The key the call came encrypted with: a temporary key under PFS, else `authKeyId`. */
  readonly messageAuthKeyId: bigint;
  readonly sessionId: bigint;
  /** msg_id of the message that carried the call. */
  readonly msgId: bigint;
  /** Layer the client announced with invokeWithLayer on this connection (undefined until it does). */
  readonly layer: number | undefined;
  /** The client's initConnection fields, once it sent them on this connection. */
  readonly client: ClientInfo | undefined;
  /** invokeWithoutUpdates was used for this call. */
  readonly withoutUpdates: boolean;
  /** Wall-clock time in ms, from the emulator's clock (so handlers and the session agree). */
  now(): number;
}

type MethodName = tl.TlMethod['_'];
type MethodOf<N extends MethodName> = Extract<tl.TlMethod, { _: N }>;

/** A method implementation: the answer, or an RpcError (returned or thrown). */
export type MethodHandler<N extends MethodName = MethodName> = (
  ctx: RpcContext,
  request: MethodOf<N>,
) => TlResult<MethodOf<N>> | RpcError | Promise<TlResult<MethodOf<N>> | RpcError>;

/**
 * Method name → handler. The emulator's built-in methods are registered in
 * it, and later features (accounts, messages, files) add theirs with
 * `register`. Registering a name again replaces its handler.
 */
export class MethodRegistry {
  private readonly handlers = new Map<string, MethodHandler<any>>();

  register<N extends MethodName>(name: N, handler: MethodHandler<N>): this {
    this.handlers.set(name, handler as MethodHandler<any>);
    return this;
  }

  get(name: string): MethodHandler<any> | undefined {
    return this.handlers.get(name);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  get names(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
