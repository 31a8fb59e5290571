// The demo as a person runs it: a child process, its whole output, its exit code.
import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/tgmt.js', import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('tgmt demo runs to the end and stops by itself: protocol, logins, chat, bridge, file', async (t) => {
  const { code, stdout, stderr } = await run(['demo']);
  t.is(code, 0, stderr);
  t.regex(stdout, /TL layer 228/);
  t.is(stdout.match(/key 0x[0-9a-f]{16}, traffic on temp key 0x[0-9a-f]{16}/g)?.length, 3);
  t.regex(stdout, /help\.getNearestDc → this DC 1/);
  t.regex(stdout, /2000 pongs, each answered once/);
  t.regex(stdout, /RpcError 400 INPUT_METHOD_INVALID/);
  t.regex(stdout, /Ann: DC 2 answered auth\.sendCode with PHONE_MIGRATE_1, so her client moved to DC 1; .*home DC 1\)/);
  t.regex(stdout, /Ben: SESSION_PASSWORD_NEEDED after the code, .* by SRP .*signed in on DC 2/);
  t.regex(stdout, /@bridge_bot signed in with its bot token on DC 3/);
  t.regex(stdout, /→ Ben received "Hi Ben!/);
  t.regex(stdout, /→ Ann received "Hi Ann, loud and clear\."/);
  t.regex(stdout, /→ Cas sees in Team B: "\[Ann\] The release is on Friday, see the notes\." \(bold "\[Ann\]", bold "release", italic "Friday", texturl "the notes"\)/);
  t.regex(stdout, /→ Cas sees in Team B: "\[Ben\] I will bring v1\.0 and cake\." \(bold "\[Ben\]", code "v1\.0", bold "cake"\)/);
  t.regex(stdout, /Ann sent demo\.bin as message #\d+: \d+ parts saved on her DC 1, then messages\.sendMedia/);
  t.regex(stdout, /Ben lives on DC 2 and the file on DC 1: .*auth\.exportAuthorization → importAuthorization\), and fetched \d+ parts from DC 1/);
  t.regex(stdout, /Ben downloaded 3\.0 MiB: the same bytes/);
  t.regex(stdout, /Done: the emulator is stopped\./);
  t.false(stdout.includes('\x1b['), 'no colour when stdout is not a TTY');
});

test('an unknown command exits 2 with the usage', async (t) => {
  const { code, stderr } = await run(['nope']);
  t.is(code, 2);
  t.regex(stderr, /unknown command 'nope'/);
  t.regex(stderr, /usage: tgmt/);
});
