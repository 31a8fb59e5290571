// The README's example: start the emulator, print its DCs and key, stop it.
// Run after `npm run build -w @telegram-mt/dc-emulator`: node examples/print-dcs.mjs
import { startEmulator } from '@telegram-mt/dc-emulator';

const emulator = await startEmulator(); // 3 DCs, ports chosen by the OS
console.log(emulator.dcs); // [{ id: 1, host: '127.0.0.1', port: 40213 }, …]
console.log(emulator.rsaPublicKeys[0].split('\n')[0]); // -----BEGIN RSA PUBLIC KEY-----
await emulator.stop();
