// updates.getState / getDifference / getChannelDifference.
import { getChannelDifference, getDifference, stateOf } from '../world/difference.js';
import type { World } from '../world/world.js';
import type { MethodRegistry } from './registry.js';
import { RpcError } from './rpc-error.js';
import { caller, inputChannel } from './world-common.js';

export function registerUpdateMethods(registry: MethodRegistry, world: World): void {
  registry.register('updates.getState', (ctx) => stateOf(world, caller(world, ctx)));

  registry.register('updates.getDifference', (ctx, req) => getDifference(world, caller(world, ctx), req));

  registry.register('updates.getChannelDifference', (ctx, req) => {
    const me = caller(world, ctx);
    const c = inputChannel(world, req.channel);
    if (!c.members.has(me.id) && c.username === undefined) throw new RpcError(400, 'CHANNEL_PRIVATE');
    if (req.limit <= 0) throw new RpcError(400, 'LIMIT_INVALID');
    return getChannelDifference(world, me, c, req.pts, req.limit);
  });
}
