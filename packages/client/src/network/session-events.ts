// What a session's events mean to the connection's users: an answer settles
// its waiter (and, for a call wrapped in initConnection, confirms it), a
// refused key is told, updates and session state changes become events.
import type { EventEmitter } from 'node:events';
import { AuthKeyError, RpcError } from '../errors.js';
import type { ClientSession, ClientSessionEvent } from '../mtproto/session/client/session.js';
import type { ConnectionEvents } from './connection-types.js';
import type { Waiters } from './waiters.js';

/** What the events act on: the connection. */
export interface SessionEventSink {
  readonly waiters: Waiters;
  initConfirmed: boolean;
  emit: EventEmitter<ConnectionEvents>['emit'];
  /** The server answered: the connection works (failed attempts are forgotten). */
  answered(): void;
  scheduleFlush(): void;
}

export function applySessionEvent(c: SessionEventSink, e: ClientSessionEvent, session: ClientSession): void {
  switch (e.type) {
    case 'result':
      c.answered();
      if (c.waiters.wrapped(e.requestId)) c.initConfirmed = true;
      c.waiters.settle(e.requestId, e.result, false);
      return;
    case 'error':
      // An rpc_error also means initConnection was processed.
      if (e.error instanceof RpcError) {
        c.answered();
        if (c.waiters.wrapped(e.requestId)) c.initConfirmed = true;
        if (e.error instanceof AuthKeyError) c.emit('auth-key-error', e.error);
      }
      c.waiters.settle(e.requestId, e.error, false);
      return;
    case 'update':
      c.emit('update', e.update);
      return;
    case 'new-session':
      c.emit('new-session', { firstMsgId: e.firstMsgId, uniqueId: e.uniqueId, serverSalt: e.serverSalt });
      c.emit('session-state', { serverSalt: session.serverSalt, timeOffset: session.timeOffset });
      return;
    case 'salt':
    case 'time-synced':
      c.emit('session-state', { serverSalt: session.serverSalt, timeOffset: session.timeOffset });
      // Resends are queued by the session.
      c.scheduleFlush();
      return;
  }
}
