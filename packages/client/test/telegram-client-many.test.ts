// The bridge case: 100 TelegramClients in one process, each its own user and
// storage, exchanging messages in a ring; every message arrives, once.
import test from 'ava';
import type { TelegramClient } from '../src/index.js';
import { clientFor, logIn } from './support/clients.js';
import { startEmulator, type Emulator } from './support/emulator.js';

const CLIENTS = 100;
const PER_CLIENT = 5;
let emulator: Emulator;
const clients: TelegramClient[] = [];

test.after.always(async () => {
  await Promise.all(clients.map((c) => c.disconnect()));
  await emulator?.stop();
});

test('100 clients in one process exchange messages; nothing lost, nothing twice', async (t) => {
  t.timeout(120_000);
  emulator = await startEmulator({ dcCount: 3 });
  const phone = (i: number) => `3163300${String(i).padStart(4, '0')}`;
  for (let i = 0; i < CLIENTS; i++) emulator.world.createUser({ phone: phone(i), firstName: `User${i}`, username: `many_${i}`, dc: 1 + (i % 3) });
  const received: string[][] = Array.from({ length: CLIENTS }, () => []);
  // Logins in batches of 10: the handshakes are CPU work on a 2-core machine.
  for (let b = 0; b < CLIENTS; b += 10) {
    await Promise.all(
      Array.from({ length: 10 }, async (_, k) => {
        const i = b + k;
        const c = clientFor(emulator);
        clients[i] = c;
        await logIn(emulator, c, phone(i));
        c.on('newMessage', (m) => {
          if (!m.out) received[i]!.push(m.text);
        });
      }),
    );
  }
  await Promise.all(
    clients.map(async (c, i) => {
      for (let n = 0; n < PER_CLIENT; n++) await c.sendMessage(`@many_${(i + 1) % CLIENTS}`, `from ${i} #${n}`);
    }),
  );
  const deadline = Date.now() + 30_000;
  while (received.some((r) => r.length < PER_CLIENT) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < CLIENTS; i++) {
    const from = (i + CLIENTS - 1) % CLIENTS;
    t.deepEqual(received[i], Array.from({ length: PER_CLIENT }, (_, n) => `from ${from} #${n}`), `client ${i}`);
  }
});
