import { mtcute } from './peers/mtcute.js';
import { startChildEmulator } from './emulator.js';
import { pipelined } from './measure.js';
const emu = await startChildEmulator(2, true);
const s = await mtcute.open({ dc: emu.dcs[1]!, rsaPublicKeys: emu.rsaPublicKeys });
for (const n of [1500]) console.log(n, await pipelined(n, 8000, () => s.rpc()));
await s.close(); await emu.stop(); process.exit(0);
