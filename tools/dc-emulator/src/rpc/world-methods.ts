// registerWorldMethods: every method of the emulator's world, behind the flood gate.
import type { World } from '../world/world.js';
import { keyOf } from '../world/world.js';
import { registerAccountMethods, registerAuthMethods, type SrpChallenges } from './auth.js';
import { registerMediaMethods } from './media.js';
import { registerMessageMethods } from './messages.js';
import { MethodRegistry, type MethodHandler } from './registry.js';
import { RpcError } from './rpc-error.js';
import { registerUpdateMethods } from './updates.js';
import { registerUploadMethods } from './upload.js';
import { registerUserMethods } from './users.js';

/**
 * Adds the accounts, contacts, messages, updates and files methods to `registry`.
 * With `world.options.flood` set, a caller (the signed-in user, or the auth
 * key before login) past the rate gets 420 FLOOD_WAIT_X.
 */
export function registerWorldMethods(registry: MethodRegistry, world: World): void {
  const challenges: SrpChallenges = new Map();
  const staging = new MethodRegistry();
  registerAuthMethods(staging, world, challenges);
  registerAccountMethods(staging, world, challenges);
  registerUserMethods(staging, world);
  registerMessageMethods(staging, world);
  registerUpdateMethods(staging, world);
  registerUploadMethods(staging, world);
  registerMediaMethods(staging, world);
  for (const name of staging.names) {
    const handler = staging.get(name)!;
    const gate = world.flood;
    const gated: MethodHandler<any> =
      gate === undefined
        ? handler
        : (ctx, req) => {
            const who = world.userOf(ctx.dcId, ctx.authKeyId)?.id.toString() ?? keyOf(ctx.dcId, ctx.authKeyId);
            const wait = gate.check(who, name, world.options.now());
            if (wait > 0) return new RpcError(420, `FLOOD_WAIT_${wait}`);
            return handler(ctx, req);
          };
    registry.register(name as never, gated);
  }
}
