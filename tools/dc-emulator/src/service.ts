// MTProto service requests that a server answers itself, outside the method
// registry (core.telegram.org/mtproto/service_messages and
// /mtproto/service_messages_about_messages). The session core hands them on
// as ordinary messages; what the emulator knows about calls decides the answer.
import type { ServerSession } from '@telegram-mt/client/mtproto';
import { serializeObject, serializeResult, type tl } from '@telegram-mt/tl';
import type { CallBook } from './calls.js';
import type { SessionStore } from './sessions.js';
import type { SaltWindow } from './salts.js';

/** msgs_state_info values, one byte per msg_id asked about. */
const State = {
  /** Nothing is known (the id is too old to be remembered). */
  UNKNOWN: 1,
  /** Not received, and the id is within the window of ids that could still come. */
  NOT_RECEIVED: 2,
  /** Not received: the id is too far in the future. */
  TOO_NEW: 3,
  /** Received. */
  RECEIVED: 4,
  /** Flag: an RPC call that is being processed or has been. */
  RPC_PROCESSED: 32,
  /** Flag: an answer (content-related) has been generated. */
  ANSWERED: 64,
} as const;


export interface ServiceContext {
  session: ServerSession;
  /** The DC's sessions (destroy_session removes one). */
  sessions: SessionStore;
  calls: CallBook;
  /** The DC's clock, ms. */
  now: number;
  /** The key's salt schedule from the current window on, `n` windows (at most 64). */
  futureSalts(n: number): SaltWindow[];
  /** Told of each answer sent again for msg_resend_req. */
  onResent?(): void;
}

/**
 * What answering a request led to: not a service request (false: an RPC
 * method for the registry), answered (true), or answered with
 * destroy_auth_key_ok, after which the caller sends what is queued and
 * forgets the key.
 */
export type ServiceOutcome = boolean | 'destroy-auth-key';

/** The requests `answerServiceRequest` answers. */
const SERVICE_REQUESTS: ReadonlySet<string> = new Set([
  'get_future_salts',
  'msgs_state_req',
  'rpc_drop_answer',
  'msg_resend_req',
  'msg_resend_ans_req',
  'destroy_session',
  'destroy_auth_key',
]);

/** Whether `name` is a service request (checked before a context is made for it: most calls are not). */
export function isServiceRequest(name: string): boolean {
  return SERVICE_REQUESTS.has(name);
}

/** Answers `request` if it is a service request. */
export function answerServiceRequest(request: tl.TlAny, msgId: bigint, ctx: ServiceContext): ServiceOutcome {
  switch (request._) {
    case 'get_future_salts':
      futureSalts(request as tl.get_future_salts, msgId, ctx);
      return true;
    case 'msgs_state_req':
      msgsStateInfo((request as tl.msgs_state_req).msgIds, msgId, ctx);
      return true;
    case 'rpc_drop_answer':
      dropAnswer((request as tl.rpc_drop_answer).reqMsgId, msgId, ctx);
      return true;
    case 'msg_resend_req':
    case 'msg_resend_ans_req':
      resend((request as tl.msg_resend_req).msgIds, ctx);
      return true;
    case 'destroy_session':
      destroySession((request as tl.destroy_session).sessionId, ctx);
      return true;
    case 'destroy_auth_key':
      // Like future_salts, the answer is sent bare; the key goes once it is out.
      ctx.session.sendMessage(serializeObject({ _: 'destroy_auth_key_ok' } as tl.TlAny), { response: true, contentRelated: true });
      return 'destroy-auth-key';
    default:
      return false;
  }
}

/**
 * get_future_salts: the key's salt schedule from the current window on.
 * The answer is future_salts itself, not rpc_result: it names req_msg_id.
 */
function futureSalts(request: tl.get_future_salts, msgId: bigint, ctx: ServiceContext): void {
  const now = Math.floor(ctx.now / 1000);
  const salts: tl.future_salt[] = ctx.futureSalts(request.num).map((w) => ({ _: 'future_salt', ...w }));
  const body = serializeObject({ _: 'future_salts', reqMsgId: msgId, now, salts } as tl.TlAny);
  ctx.session.sendMessage(body, { response: true, contentRelated: true });
}

/** msgs_state_req: what this session knows of each msg_id, from its replay window and calls. */
function msgsStateInfo(ids: readonly bigint[], msgId: bigint, ctx: ServiceContext): void {
  const info = new Uint8Array(ids.length);
  const core = ctx.session.core;
  const nowSeconds = core.msgIds.nowSeconds();
  const answered = ctx.calls.outcomesOf(ids);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const verdict = core.replay.check(id);
    if (verdict === 'duplicate') {
      let state: number = State.RECEIVED;
      if (ctx.calls.running.has(id)) state |= State.RPC_PROCESSED;
      if (answered[i] !== undefined) state |= State.RPC_PROCESSED | State.ANSWERED;
      info[i] = state;
    } else if (verdict === 'too-old' || Number(id >> 32n) < nowSeconds - core.limits.maxPastSeconds) {
      info[i] = State.UNKNOWN;
    } else if (Number(id >> 32n) > nowSeconds + core.limits.maxFutureSeconds) {
      info[i] = State.TOO_NEW;
    } else {
      info[i] = State.NOT_RECEIVED;
    }
  }
  const body = serializeObject({ _: 'msgs_state_info', reqMsgId: msgId, info } as tl.TlAny);
  ctx.session.sendMessage(body, { response: true, contentRelated: false });
}

/**
 * rpc_drop_answer: a call still running will not be answered
 * (rpc_answer_dropped_running); anything else is unknown to the emulator,
 * which sends answers as soon as they are ready.
 */
function dropAnswer(reqMsgId: bigint, msgId: bigint, ctx: ServiceContext): void {
  let answer: tl.RpcDropAnswer;
  if (ctx.calls.running.has(reqMsgId)) {
    ctx.calls.dropped.add(reqMsgId);
    answer = { _: 'rpc_answer_dropped_running' };
  } else {
    answer = { _: 'rpc_answer_unknown' };
  }
  ctx.session.sendResult(msgId, serializeResult('rpc_drop_answer', answer));
}

/**
 * msg_resend_req / msg_resend_ans_req naming calls of this session: their
 * answers are sent again from the call book (a new message each, with the
 * same req_msg_id). A call still running is answered when it ends anyway;
 * ids the book does not hold are left to msgs_state_req, which says what
 * the server knows of them.
 */
function resend(ids: readonly bigint[], ctx: ServiceContext): void {
  const outcomes = ctx.calls.outcomesOf(ids);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const a = outcomes[i];
    if (typeof a !== 'object') continue;
    if ('result' in a) ctx.session.sendResult(id, a.result);
    else ctx.session.sendError(id, a.code, a.text);
    ctx.onResent?.();
  }
}

/**
 * destroy_session: forgets another session of the same key
 * (destroy_session_ok) or says there is none (destroy_session_none). The
 * spec leaves the current session's fate undefined; the emulator keeps it.
 * The answer is sent bare, as Telegram does.
 */
function destroySession(sessionId: bigint, ctx: ServiceContext): void {
  const current = ctx.session.sessionId === sessionId;
  const destroyed = !current && ctx.sessions.destroy(ctx.session.authKeyId, sessionId);
  const body = serializeObject({ _: destroyed ? 'destroy_session_ok' : 'destroy_session_none', sessionId } as tl.TlAny);
  ctx.session.sendMessage(body, { response: true, contentRelated: true });
}
