import { apiTable, type tl } from '@telegram-mt/tl';
import type { ClientInfo, MethodRegistry, RpcContext } from './registry.js';
import { inputMethodInvalid, RpcError } from './rpc-error.js';

/** What a connection remembers across calls: the client's layer and initConnection fields. */
export interface ConnectionRpcState {
  layer: number | undefined;
  client: ClientInfo | undefined;
}

/** The answer to one call: the innermost method (whose result type the answer has) and its value. */
export type CallOutcome =
  | { method: string; result: unknown }
  /** `internal`: the handler failed with something other than RpcError (a bug in the emulator, counted). */
  | { method: string; error: RpcError; internal?: Error };

/** What the dispatcher needs from the session around it. */
export interface DispatchEnv {
  registry: MethodRegistry;
  connection: ConnectionRpcState;
  /** The context fields that do not depend on the wrappers. */
  /** `messageAuthKeyId` defaults to `authKeyId` (no PFS). */
  base: Omit<RpcContext, 'layer' | 'client' | 'withoutUpdates' | 'messageAuthKeyId'> & { messageAuthKeyId?: bigint };
  /** Resolves when the calls carried by these msg_ids in this session have been answered; false when one failed. */
  waitFor(ids: readonly bigint[]): Promise<boolean>;
  /** Told of every handler run (the DC counts executions per method). */
  onExecute?(method: string): void;
}

/** More nested wrappers than any client sends: past it the call is refused instead of recursed into. */
const MAX_WRAPPERS = 8;

/**
 * Runs one call: strips the invoke* wrappers (remembering the layer and the
 * initConnection fields on the connection, as Telegram does), then hands the
 * innermost method to its handler. Unknown methods get the error Telegram
 * gives; a handler that throws something other than RpcError is answered
 * with 500 INTERNAL, never a crash. Synchronous handlers are answered
 * synchronously: a promise per call would cost more than most handlers do.
 */
export function dispatch(request: tl.TlMethod, env: DispatchEnv): CallOutcome | Promise<CallOutcome> {
  return unwrap(request as Query, env, false, 0);
}

type Query = { _: string; [k: string]: unknown };

function unwrap(query: Query, env: DispatchEnv, withoutUpdates: boolean, depth: number): CallOutcome | Promise<CallOutcome> {
  for (; ; depth++) {
    if (depth > MAX_WRAPPERS) return { method: query._, error: new RpcError(400, 'INPUT_REQUEST_INVALID') };
    switch (query._) {
      case 'invokeWithLayer':
        env.connection.layer = query.layer as number;
        query = query.query as Query;
        continue;
      case 'initConnection':
        env.connection.client = {
          apiId: query.apiId as number,
          deviceModel: query.deviceModel as string,
          systemVersion: query.systemVersion as string,
          appVersion: query.appVersion as string,
          systemLangCode: query.systemLangCode as string,
          langPack: query.langPack as string,
          langCode: query.langCode as string,
        };
        query = query.query as Query;
        continue;
      case 'invokeWithoutUpdates':
        withoutUpdates = true;
        query = query.query as Query;
        continue;
      case 'invokeAfterMsg':
      case 'invokeAfterMsgs': {
        const ids = query._ === 'invokeAfterMsg' ? [query.msgId as bigint] : (query.msgIds as bigint[]);
        const inner = query.query as Query;
        const next = depth + 1;
        const wu = withoutUpdates;
        return env.waitFor(ids).then((ok) =>
          ok ? unwrap(inner, env, wu, next) : { method: innermost(inner), error: new RpcError(400, 'MSG_WAIT_FAILED') },
        );
      }
    }
    break;
  }
  return call(query, env, withoutUpdates);
}

function call(query: Query, env: DispatchEnv, withoutUpdates: boolean): CallOutcome | Promise<CallOutcome> {
  const method = query._;
  const handler = env.registry.get(method);
  if (handler === undefined) return { method, error: notImplemented(method) };
  const b = env.base;
  const ctx: RpcContext = {
    dcId: b.dcId,
    dcs: b.dcs,
    authKeyId: b.authKeyId,
    messageAuthKeyId: b.messageAuthKeyId ?? b.authKeyId,
    sessionId: b.sessionId,
    msgId: b.msgId,
    now: b.now,
    layer: env.connection.layer,
    client: env.connection.client,
    withoutUpdates,
  };
  let result: unknown;
  env.onExecute?.(method);
  try {
    result = handler(ctx, query as never);
  } catch (err) {
    return failed(method, err);
  }
  if (result instanceof Promise) {
    return result.then(
      (r: unknown) => (r instanceof RpcError ? { method, error: r } : { method, result: r }),
      (err: unknown) => failed(method, err),
    );
  }
  return result instanceof RpcError ? { method, error: result } : { method, result };
}

function failed(method: string, err: unknown): CallOutcome {
  if (err instanceof RpcError) return { method, error: err };
  return { method, error: new RpcError(500, 'INTERNAL'), internal: err instanceof Error ? err : new Error(String(err)) };
}

/** The method at the bottom of a chain of wrappers (its result type is the chain's). */
export function innermost(request: { _: string; [k: string]: unknown }): string {
  let q = request;
  for (let i = 0; i <= MAX_WRAPPERS && typeof q.query === 'object' && q.query !== null; i++) {
    q = q.query as typeof q;
  }
  return q._;
}

/**
 * A method of the layer that this emulator has no handler for. Telegram's
 * servers serve every method of their layer, so there is no exact
 * equivalent; the emulator answers what Telegram answers a method it does
 * not serve, INPUT_METHOD_INVALID with the method's id, which clients
 * already treat as "not callable here".
 */
function notImplemented(method: string): RpcError {
  return inputMethodInvalid(idOfName(method) ?? 0, 0);
}

let ids: Map<string, number> | undefined;
function idOfName(name: string): number | undefined {
  if (ids === undefined) {
    ids = new Map();
    for (const [id, n] of apiTable.names) ids.set(n, id);
  }
  return ids.get(name);
}
