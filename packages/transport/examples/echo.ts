// One port that accepts every transport, and a client that talks to it
// obfuscated. Run: npx tsx examples/echo.ts (from packages/transport)
import { createTransport, serveTransports } from '../src/index.js';

const server = await serveTransports({ host: '127.0.0.1', port: 0 }, (conn) => {
  conn.on('detected', (info) => console.log('server: client speaks', info));
  conn.on('packet', (packet, { quickAck }) => {
    if (quickAck) conn.sendQuickAck(0x1234);
    conn.send(packet); // echo, framed and obfuscated like the client's
  });
});

const transport = createTransport({ host: '127.0.0.1', port: server.port, dcId: 2 }, { codec: 'intermediate', obfuscated: true });
const echoed = new Promise<Uint8Array>((resolve) => transport.on('packet', resolve));
transport.on('quickAck', (token) => console.log('client: quick ack', token.toString(16)));
transport.on('error', (error) => console.error('client:', error.code, error.message));

await transport.connect(AbortSignal.timeout(5000));
await transport.send(new TextEncoder().encode('hello, MTProto!!'), { quickAck: true });
console.log('client: echoed', new TextDecoder().decode(await echoed));
await transport.close();
await server.close();
