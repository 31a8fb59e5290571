#!/usr/bin/env node
// Committed launcher so the bin link exists from install time on; the code is in dist/ after `npm run build`.
import('../dist/cli.js').catch((err) => {
  console.error(`tgmt-emulator: ${err.code === 'ERR_MODULE_NOT_FOUND' ? 'not built yet: run `npm run build -w @telegram-mt/dc-emulator`' : err.message}`);
  process.exit(1);
});
