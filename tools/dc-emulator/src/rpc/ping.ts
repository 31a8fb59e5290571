// ping inside a wrapper (invokeWithoutUpdates, invokeWithLayer …): the session
// core answers a bare ping with a bare pong, but a wrapped one is a call like
// any other, answered in rpc_result (mtcute sends its pings so).
import type { MethodRegistry } from './registry.js';

export function registerPing(registry: MethodRegistry): void {
  registry.register('ping', (ctx, request) => ({ _: 'pong' as const, msgId: ctx.msgId, pingId: request.pingId }));
}
