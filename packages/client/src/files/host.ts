// What the file module needs from a client: calls on a given DC over one of
// several transfer connections ("lanes"). TelegramClient implements it; tests
// implement it over bare Connections or in memory.
import type { TlResult, tl } from '@telegram-mt/tl';

export interface FileHostInvokeOptions {
  /** Which transfer connection of that DC (0 … transferConnections − 1). */
  lane?: number;
  signal?: AbortSignal;
  /** ms; the host's default when absent. */
  timeout?: number;
}

export interface FileHost {
  /**
   * Calls `request` on DC `dcId` over transfer lane `lane`: a connection of
   * its own per (DC, lane), authorised for the user there (the host runs
   * auth.exportAuthorization / importAuthorization on a DC the first time).
   * Rejects with RpcError for rpc_error answers (FILE_MIGRATE_X included),
   * or the connection's own errors (closed, timeout, aborted).
   */
  invokeOnDc<R extends tl.TlMethod>(dcId: number, request: R, opts?: FileHostInvokeOptions): Promise<TlResult<R>>;
  /** The DC the user's account lives on: uploads go there. */
  readonly homeDcId: number;
  /** Lanes per DC; parts in flight are spread across them. */
  readonly transferConnections: number;
}
