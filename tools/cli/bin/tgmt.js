#!/usr/bin/env node
import { main } from '../dist/main.js';

// Ctrl-C / SIGTERM abort the command, which cleans up and exits; a second one exits at once.
const controller = new AbortController();
const stop = (signal) => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error(`${signal}`));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

// `tgmt history … | head -1`: a reader that went away ends the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
// Whatever still holds the event loop (a socket in teardown) must not keep a finished command alive.
setTimeout(() => process.exit(), 2000).unref();
