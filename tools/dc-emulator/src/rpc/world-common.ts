// What the world's handlers share: who is calling, and the input peers they name.
import type { tl } from '@telegram-mt/tl';
import type { Target } from '../world/messaging.js';
import type { ChannelRecord, UserRecord } from '../world/records.js';
import { keyOf, type UpdateOrigin, type World } from '../world/world.js';
import type { RpcContext } from './registry.js';
import { RpcError } from './rpc-error.js';

export function originOf(ctx: RpcContext): UpdateOrigin {
  return { dcId: ctx.dcId, authKeyId: ctx.authKeyId, sessionId: ctx.sessionId };
}

/**
 * The signed-in user of this auth key on this DC. A key still owing its 2FA
 * password gets SESSION_PASSWORD_NEEDED; an account kept on another DC gets
 * USER_MIGRATE_X unless `anyDc` (calls Telegram serves on any DC a login was
 * imported to).
 */
export function caller(world: World, ctx: RpcContext, anyDc = false): UserRecord {
  const user = world.userOf(ctx.dcId, ctx.authKeyId);
  if (user === undefined) {
    if (world.passwordPending.has(keyOf(ctx.dcId, ctx.authKeyId))) throw new RpcError(401, 'SESSION_PASSWORD_NEEDED');
    throw new RpcError(401, 'AUTH_KEY_UNREGISTERED');
  }
  if (!anyDc && user.homeDc !== ctx.dcId) throw new RpcError(303, `USER_MIGRATE_${user.homeDc}`);
  return user;
}

export function inputUser(world: World, me: UserRecord, input: tl.InputUser): UserRecord {
  switch (input._) {
    case 'inputUserSelf':
      return me;
    case 'inputUser': {
      const u = world.users.get(input.userId);
      if (u === undefined || u.accessHash !== input.accessHash) throw new RpcError(400, 'USER_ID_INVALID');
      return u;
    }
    case 'inputUserFromMessage': {
      const u = world.users.get(input.userId);
      if (u === undefined) throw new RpcError(400, 'USER_ID_INVALID');
      return u;
    }
    default:
      throw new RpcError(400, 'USER_ID_INVALID');
  }
}

export function inputChannel(world: World, input: tl.InputChannel | tl.InputPeer): ChannelRecord {
  if (input._ === 'inputChannel' || input._ === 'inputPeerChannel') {
    const c = world.channels.get(input.channelId);
    if (c !== undefined && c.accessHash === input.accessHash) return c;
  }
  throw new RpcError(400, 'CHANNEL_INVALID');
}

/** A chat the caller may read: a user, a basic group it is in, or a channel it is in (or a public one). */
export function inputPeer(world: World, me: UserRecord, input: tl.InputPeer): Target {
  switch (input._) {
    case 'inputPeerSelf':
      return { kind: 'user', user: me };
    case 'inputPeerUser': {
      const u = world.users.get(input.userId);
      if (u === undefined || u.accessHash !== input.accessHash) throw new RpcError(400, 'PEER_ID_INVALID');
      return { kind: 'user', user: u };
    }
    case 'inputPeerChat': {
      const c = world.chats.get(input.chatId);
      if (c === undefined) throw new RpcError(400, 'CHAT_ID_INVALID');
      if (!c.members.has(me.id)) throw new RpcError(400, 'PEER_ID_INVALID');
      return { kind: 'chat', chat: c };
    }
    case 'inputPeerChannel': {
      const c = inputChannel(world, input);
      if (!c.members.has(me.id) && c.username === undefined) throw new RpcError(400, 'CHANNEL_PRIVATE');
      return { kind: 'channel', channel: c };
    }
    default:
      throw new RpcError(400, 'PEER_ID_INVALID');
  }
}

export function peerOfTarget(t: Target): tl.Peer {
  switch (t.kind) {
    case 'user':
      return { _: 'peerUser', userId: t.user.id };
    case 'chat':
      return { _: 'peerChat', chatId: t.chat.id };
    case 'channel':
      return { _: 'peerChannel', channelId: t.channel.id };
  }
}
