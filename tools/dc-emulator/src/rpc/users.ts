// users.* and contacts.*
import type { tl } from '@telegram-mt/tl';
import { emptyNotifySettings, renderChannel, renderUser } from '../world/render.js';
import { isValidPhone, normalizePhone, type World } from '../world/world.js';
import type { MethodRegistry } from './registry.js';
import { RpcError } from './rpc-error.js';
import { caller, inputUser } from './world-common.js';

/** Telegram's cache hash over a list of ids (core.telegram.org/api/offsets#hash-generation). */
export function idsHash(ids: readonly bigint[]): bigint {
  let h = 0n;
  for (const id of ids) {
    h = BigInt.asUintN(64, h ^ (h >> 21n));
    h = BigInt.asUintN(64, h ^ (h << 35n));
    h = BigInt.asUintN(64, h ^ (h >> 4n));
    h = BigInt.asUintN(64, h + id);
  }
  return BigInt.asIntN(64, h);
}

export function registerUserMethods(registry: MethodRegistry, world: World): void {
  const now = (): number => world.options.now();

  registry.register('users.getUsers', (ctx, req) => {
    const me = caller(world, ctx, true);
    if (req.id.length > 200) throw new RpcError(400, 'LIMIT_INVALID');
    const out: tl.User[] = [];
    for (const input of req.id) {
      try {
        out.push(renderUser(inputUser(world, me, input), me, now()));
      } catch (err) {
        if (!(err instanceof RpcError)) throw err; // unknown users are left out, as Telegram does
      }
    }
    return out;
  });

  registry.register('users.getFullUser', (ctx, req) => {
    const me = caller(world, ctx, true);
    const u = inputUser(world, me, req.id);
    return {
      _: 'users.userFull' as const,
      fullUser: {
        _: 'userFull' as const,
        id: u.id,
        about: u.about || undefined,
        settings: { _: 'peerSettings' as const },
        notifySettings: emptyNotifySettings,
        commonChatsCount: [...world.chats.values()].filter((c) => c.members.has(me.id) && c.members.has(u.id)).length,
      },
      chats: [],
      users: [renderUser(u, me, now())],
    };
  });

  registry.register('contacts.getContacts', (ctx, req) => {
    const me = caller(world, ctx);
    const ids = [...me.contacts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (req.hash !== 0n && req.hash === idsHash(ids)) return { _: 'contacts.contactsNotModified' as const };
    const users = ids.map((id) => world.users.get(id)!);
    return {
      _: 'contacts.contacts' as const,
      contacts: users.map((u) => ({ _: 'contact' as const, userId: u.id, mutual: u.contacts.has(me.id) })),
      savedCount: 0,
      users: users.map((u) => renderUser(u, me, now())),
    };
  });

  registry.register('contacts.importContacts', (ctx, req) => {
    const me = caller(world, ctx);
    if (req.contacts.length > 1000) throw new RpcError(400, 'CONTACTS_TOO_MUCH'); // bounded per call
    const imported: tl.importedContact[] = [];
    const users: tl.User[] = [];
    for (const c of req.contacts) {
      if (c._ !== 'inputPhoneContact') continue;
      const phone = normalizePhone(c.phone);
      const u = isValidPhone(phone) ? world.userByPhone(phone) : undefined;
      if (u === undefined || u.id === me.id) continue;
      me.contacts.set(u.id, { firstName: c.firstName || u.firstName, lastName: c.lastName });
      imported.push({ _: 'importedContact' as const, userId: u.id, clientId: c.clientId });
      users.push(renderUser(u, me, now()));
    }
    return { _: 'contacts.importedContacts' as const, imported, popularInvites: [], retryContacts: [], users };
  });

  registry.register('contacts.deleteContacts', (ctx, req) => {
    const me = caller(world, ctx);
    const users: tl.User[] = [];
    for (const input of req.id) {
      const u = inputUser(world, me, input);
      if (me.contacts.delete(u.id)) users.push(renderUser(u, me, now()));
    }
    return { _: 'updates' as const, updates: [], users, chats: [], date: world.date(), seq: 0 };
  });

  registry.register('contacts.resolveUsername', (ctx, req) => {
    const me = caller(world, ctx, true);
    const name = req.username.replace(/^@/, '');
    if (!/^[a-zA-Z0-9_]{1,32}$/.test(name)) throw new RpcError(400, 'USERNAME_INVALID');
    const found = world.resolveUsername(name);
    if (found?.user !== undefined) {
      return { _: 'contacts.resolvedPeer' as const, peer: { _: 'peerUser' as const, userId: found.user.id }, chats: [], users: [renderUser(found.user, me, now())] };
    }
    if (found?.channel !== undefined) {
      return { _: 'contacts.resolvedPeer' as const, peer: { _: 'peerChannel' as const, channelId: found.channel.id }, chats: [renderChannel(found.channel, me)], users: [] };
    }
    throw new RpcError(400, 'USERNAME_NOT_OCCUPIED');
  });
}
