// The people every emulator the CLI starts knows, so that a one-shot command
// and a first `tgmt login` have someone to be. Ann lives on DC 1, so a fresh
// login (which asks DC 2) is redirected by PHONE_MIGRATE_1; Ben has 2FA.
import type { World } from '@telegram-mt/dc-emulator';

export interface DemoUser {
  phone: string;
  firstName: string;
  username: string;
  dc: number;
  password?: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { phone: '+31611110001', firstName: 'Ann', username: 'ann_demo', dc: 1 },
  { phone: '+31611110002', firstName: 'Ben', username: 'ben_demo', dc: 2, password: 'hunter2' },
  { phone: '+31611110003', firstName: 'Cas', username: 'cas_demo', dc: 3 },
];

/** Creates the demo users (on the DCs the world has) as each other's contacts. */
export function seedDemoUsers(world: World, dcCount: number): DemoUser[] {
  const users = DEMO_USERS.map((u) => ({ ...u, dc: Math.min(u.dc, dcCount) }));
  const records = users.map((u) => world.createUser(u));
  for (const a of records) {
    for (const b of records) if (a !== b) a.contacts.set(b.id, { firstName: b.firstName, lastName: b.lastName });
  }
  return users;
}
