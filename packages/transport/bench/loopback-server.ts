/**
 * The far end for the loopback benchmark, run as a child process so that the
 * server's deobfuscation does not share the client's thread (as with a real
 * DC). Speaks to the parent over IPC: 'reset' → 'ready'; 'expect' n → 'done'
 * once n payload bytes have arrived on the current connection.
 */
import { createCrypto } from '@telegram-mt/crypto-native';
import { serveTransports } from '../src/index.js';

const secrets = JSON.parse(process.argv[2] ?? '[]') as string[];
// 'native-ctr': deobfuscate with crypto-native's AES-CTR, as the client end does in those rows.
const aesCtr = process.argv[3] === 'native-ctr' ? createCrypto({ backend: 'native' }).createAesCtr : undefined;
let received = 0;
let expected = Infinity;
const server = await serveTransports({ secrets, aesCtr }, (conn) => {
  conn.on('packet', (p) => {
    received += p.length;
    if (received >= expected) done();
  });
});

// CPU time since 'reset' goes back with 'done': a load-independent measure of this end's work.
let cpuAtReset = process.cpuUsage();

function done() {
  expected = Infinity;
  const cpu = process.cpuUsage(cpuAtReset);
  process.send!({ type: 'done', received, cpuMicros: cpu.user + cpu.system });
}

process.on('message', (msg: { type: string; bytes?: number }) => {
  if (msg.type === 'reset') {
    received = 0;
    expected = Infinity;
    cpuAtReset = process.cpuUsage();
    process.send!({ type: 'ready' });
  } else if (msg.type === 'expect') {
    expected = msg.bytes!;
    if (received >= expected) done();
  } else if (msg.type === 'exit') {
    void server.close().then(() => process.exit(0));
  }
});
process.send!({ type: 'listening', port: server.port });
