import { defaultReadLimits, deserializeResult, type TlReadLimits } from '@telegram-mt/tl';
import { rpcErrorFor } from '../../../../errors.js';
import { unpackGzip } from '../../container.js';
import { recyclePacket, VIEW_BYTES_FROM } from '../../slab.js';
import { ID_RPC_ERROR } from '../../ids.js';
import { readI32, readLong, readTlString, readU32 } from '../../wire.js';
import type { ClientSession, InboundMessage } from '../session.js';

/**
 * The session owns every body it reads (decrypted into a buffer of its own or
 * into a packet handed over), so large `bytes` (file parts) are kept as views
 * into it instead of copied.
 */
const RESULT_LIMITS: TlReadLimits = { ...defaultReadLimits, viewBytesFrom: VIEW_BYTES_FROM };

/**
 * rpc_result#f35c6d01 req_msg_id:long result:Object — routed by req_msg_id to
 * the pending request; rpc_error becomes `RpcError`, anything else is read
 * as the method's result type.
 */
export function handleRpcResult(s: ClientSession, m: InboundMessage): void {
  const body = m.body;
  if (body.length < 16) throw new RangeError('rpc_result too short');
  const reqMsgId = readLong(body, 4);
  const req = s.takePending(reqMsgId);
  if (req === undefined) {
    s.core.drop('unknown-request');
    return;
  }
  // The session's own service requests (rpc_drop_answer) are consumed here.
  if (req.internal) return;
  const result = unpackGzip(body.subarray(12), s.core.limits.maxInflated);
  if (readU32(result, 0) === ID_RPC_ERROR) {
    const code = readI32(result, 4);
    const { value: text } = readTlString(result, 8, result.length);
    // PFS: a call on a temporary key no longer bound (a newer key replaced it) did not run; the edge resends it.
    if (text === 'AUTH_KEY_PERM_EMPTY' && s.retryUnbound) {
      s.park(req);
      return;
    }
    s.emit({ type: 'error', requestId: req.id, error: rpcErrorFor(code, text, req.method) });
    answered(req.body);
    return;
  }
  let value: unknown;
  try {
    value = deserializeResult(req.method as never, result, RESULT_LIMITS);
  } catch (e) {
    s.emit({ type: 'error', requestId: req.id, error: e as Error });
    return;
  }
  s.emit({ type: 'result', requestId: req.id, result: value });
  answered(req.body);
}

/**
 * The request is answered and out of the tables: its bytes (a file part's
 * pooled buffer) are needed no more. A copy still queued for resending is
 * skipped at flush, as the request is no longer pending (ClientSession.transmit).
 */
function answered(body: Uint8Array): void {
  recyclePacket(body);
}
