// The demo that `npm start` runs: a loopback Telegram with three DCs, and our
// client talking MTProto 2.0 to each of them over a different transport.
// It grows with the project (accounts, messages, files); today it shows the
// protocol layer: auth keys, encrypted sessions, RPC, pipelining, errors.
import { computeSrpCheck, Connection, RpcError, transportWire, type TransportWireOptions } from '@telegram-mt/client';
import { startEmulator, type Emulator } from '@telegram-mt/dc-emulator';
import { LAYER, type tl } from '@telegram-mt/tl';
import type { Out } from './terminal/out.js';

const hex = (n: bigint) => '0x' + BigInt.asUintN(64, n).toString(16).padStart(16, '0');
const ms = (t0: number) => `${(performance.now() - t0).toFixed(1)} ms`;

export async function runDemo(out: Out): Promise<void> {
  out.line(`telegram-mt demo — MTProto 2.0, TL layer ${LAYER}, against the embedded DC emulator`);

  out.step('Starting a loopback Telegram with three DCs');
  const emulator = await startEmulator({ dcCount: 3 });
  const connections: Labelled[] = [];
  try {
    for (const dc of emulator.dcs) out.ok(`DC ${dc.id} listening on ${dc.host}:${dc.port} (every transport on one port)`);

    const transports: [string, TransportWireOptions][] = [
      ['TCP, abridged', { codec: 'abridged' }],
      ['TCP, obfuscated intermediate', { codec: 'intermediate', obfuscated: true }],
      ['WebSocket /apiws, obfuscated padded intermediate', { codec: 'padded', connection: 'websocket' }],
    ];
    out.step('Auth keys on each DC: a permanent one, and a temporary one bound to it for PFS');
    for (const [i, dc] of emulator.dcs.entries()) {
      const [label, wire] = transports[i % transports.length]!;
      const connection = new Connection({
        dc,
        apiId: 1,
        device: { deviceModel: 'tgmt demo', appVersion: '0.1.0' },
        rsaPublicKeys: emulator.rsaPublicKeys,
        wire: transportWire(wire),
      });
      connections.push(Object.assign(connection, { label: `DC ${dc.id}:` }));
      const t0 = performance.now();
      await connection.connect();
      const key = connection.authKey!;
      out.ok(
        `DC ${dc.id} over ${label}: key ${hex(key.authKeyId)}, traffic on temp key ${hex(connection.trafficKeyId!)} ` +
          `(auth.bindTempAuthKey) in ${ms(t0)}`,
      );
    }

    out.step('Calling the API (the first call goes inside invokeWithLayer(initConnection(…)))');
    const [first, second, third] = connections as [Labelled, Labelled, Labelled];
    const nearest = await first.invoke({ _: 'help.getNearestDc' });
    out.ok(`help.getNearestDc → this DC ${nearest.thisDc}, nearest ${nearest.nearestDc}, country ${nearest.country}`);
    const config = await third.invoke({ _: 'help.getConfig' });
    const options = config.dcOptions.map((o) => `${o.id}@${o.ipAddress}:${o.port}`).join(', ');
    out.ok(`help.getConfig → this DC ${config.thisDc}, DC options ${options}`);

    out.step('Pipelining: 2,000 pings in flight on one connection, packed into msg_containers');
    const t0 = performance.now();
    const pongs = await Promise.all(Array.from({ length: 2000 }, () => second.ping()));
    const elapsed = performance.now() - t0;
    out.ok(`${pongs.length} pongs, each answered once, in ${elapsed.toFixed(0)} ms (${Math.round(pongs.length / (elapsed / 1000))} per second)`);

    out.step('Errors are values: a method this emulator does not serve');
    try {
      await first.invoke({ _: 'help.getCountriesList', langCode: 'en', hash: 0 });
      out.fail('expected an rpc_error');
    } catch (e) {
      if (!(e instanceof RpcError)) throw e;
      out.ok(`RpcError ${e.code} ${e.text} (from ${e.method ?? 'the call'})`);
    }

    await chat(out, emulator, connections);

    out.step('Session counters');
    for (const c of connections) {
      const s = c.stats;
      if (!s) continue;
      const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
      out.note(
        `${c.label.padEnd(10)} ${s.messagesOut} messages out in ${s.packetsOut} packets ` +
          `(${s.containersOut} containers), ${s.messagesIn} in, ${dropped} dropped`,
      );
    }
  } finally {
    for (const c of connections) c.close();
    await emulator.stop();
  }
  out.step('Done: the emulator is stopped.');
}

/** Two people log in (one redirected by PHONE_MIGRATE, one with 2FA) and chat; updates are pushed. */
type Labelled = Connection & { label: string };

async function chat(out: Out, emulator: Emulator, connections: Labelled[]): Promise<void> {
  const { world } = emulator;
  world.createUser({ phone: '31611110001', firstName: 'Ann', username: 'ann_demo', dc: 2 });
  world.createUser({ phone: '31611110002', firstName: 'Ben', username: 'ben_demo', dc: 3, password: 'hunter2' });
  const connect = (index: number, who: string) => {
    const c = new Connection({
      dc: emulator.dcs[index]!,
      apiId: 1,
      device: { deviceModel: 'tgmt demo', appVersion: '0.1.0' },
      rsaPublicKeys: emulator.rsaPublicKeys,
      wire: transportWire({ codec: 'intermediate', obfuscated: true }),
    });
    connections.push(Object.assign(c, { label: `${who}, DC ${emulator.dcs[index]!.id}:` }));
    return c;
  };
  const sendCode = (c: Connection, phone: string) =>
    c.invoke({ _: 'auth.sendCode', phoneNumber: phone, apiId: 1, apiHash: 'demo', settings: { _: 'codeSettings' } });

  out.step('Logging in two people');
  let ann = connect(0, 'Ann');
  let sent: tl.auth.SentCode;
  try {
    sent = await sendCode(ann, '31611110001');
  } catch (e) {
    if (!(e instanceof RpcError) || e.dcId === undefined) throw e;
    out.ok(`Ann asks DC 1 for a code: ${e.text}, so she moves to DC ${e.dcId}`);
    ann.close();
    ann = connect(e.dcId - 1, 'Ann');
    sent = await sendCode(ann, '31611110001');
  }
  const annCode = world.inbox('31611110001').at(-1)!;
  const annAuth = (await ann.invoke({
    _: 'auth.signIn',
    phoneNumber: '31611110001',
    phoneCodeHash: (sent as tl.auth.sentCode).phoneCodeHash,
    phoneCode: annCode,
  })) as tl.auth.authorization;
  out.ok(`Ann signs in with the code ${annCode} from her inbox: user ${(annAuth.user as tl.user).id}`);

  const ben = connect(2, 'Ben');
  const benSent = (await sendCode(ben, '31611110002')) as tl.auth.sentCode;
  const benCode = world.inbox('31611110002').at(-1)!;
  const needed = await ben
    .invoke({ _: 'auth.signIn', phoneNumber: '31611110002', phoneCodeHash: benSent.phoneCodeHash, phoneCode: benCode })
    .catch((e: unknown) => e);
  if (!(needed instanceof RpcError)) throw new Error('expected SESSION_PASSWORD_NEEDED');
  const pw = await ben.invoke({ _: 'account.getPassword' });
  const check = computeSrpCheck('hunter2', pw.currentAlgo as never, pw.srpB!, pw.srpId!);
  await ben.invoke({ _: 'auth.checkPassword', password: check });
  out.ok(`Ben signs in on DC 3: ${needed.text}, then his password proven by SRP (the password never leaves his side)`);

  out.step('Chatting: messages arrive as pushed updates, not polled');
  const inbox = (c: Connection) => {
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    c.on('update', (u: unknown) => {
      const m = u as tl.updateShortMessage;
      if (m._ === 'updateShortMessage') {
        queue.push(m.message);
        wake?.();
      }
    });
    return async () => {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      return queue.shift()!;
    };
  };
  const annNext = inbox(ann);
  const benNext = inbox(ben);
  const peerOf = async (c: Connection, username: string): Promise<tl.InputPeer> => {
    const r = await c.invoke({ _: 'contacts.resolveUsername', username });
    const u = r.users[0] as tl.user;
    return { _: 'inputPeerUser', userId: u.id, accessHash: u.accessHash! };
  };
  const toBen = await peerOf(ann, 'ben_demo');
  const toAnn = await peerOf(ben, 'ann_demo');
  let randomId = 1n;
  const say = async (from: Connection, to: tl.InputPeer, name: string, text: string, next: () => Promise<string>, other: string) => {
    await from.invoke({ _: 'messages.sendMessage', peer: to, message: text, randomId: randomId++ });
    out.ok(`${name}: ${text}`);
    out.note(`  → ${other} received "${await next()}"`);
  };
  await say(ann, toBen, 'Ann', 'Hi Ben! This went DC 2 → DC 3 through the emulator.', benNext, 'Ben');
  await say(ben, toAnn, 'Ben', 'Hi Ann, loud and clear.', annNext, 'Ann');
  const history = await ben.invoke({ _: 'messages.getHistory', peer: toAnn, offsetId: 0, offsetDate: 0, addOffset: 0, limit: 10, maxId: 0, minId: 0, hash: 0n });
  out.ok(`messages.getHistory on Ben's side: ${'messages' in history ? history.messages.length : 0} messages`);
}
