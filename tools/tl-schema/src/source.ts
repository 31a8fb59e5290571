// The pinned source of the schema: the JSON form of layer 228 that
// @mtcute/core@0.31.0 ships. Fetched with `npm pack` (an install of that
// version fails on this registry), checked against the registry's integrity
// hash, and read straight out of the tarball.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const SOURCE_PACKAGE = '@mtcute/core@0.31.0';
export const SOURCE_INTEGRITY =
  'sha512-54w+3/4iZaQcY2eDxeswSrD9gutkDF+YWVKC97yU7JEJkdwpUvCmoGLcsxjAK6AQu5ipO8/+vPM0AdUZVFUtQg==';
export const API_JSON = 'package/tl/api-schema.json';
export const MTP_JSON = 'package/tl/mtp-schema.json';

/** Downloads the pinned tarball (or reads `localPath`) and verifies its hash. */
export function loadTarball(localPath?: string): Buffer {
  let data: Buffer;
  if (localPath) {
    data = readFileSync(localPath);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'tl-schema-'));
    try {
      // Run outside the workspace, without the npm_config_* a parent `npm run -w` sets.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_workspace/i.test(k)));
      const out = execFileSync('npm', ['pack', SOURCE_PACKAGE, '--pack-destination', dir, '--json'], {
        cwd: dir,
        env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [info] = JSON.parse(out) as { filename: string }[];
      if (!info) throw new Error(`npm pack ${SOURCE_PACKAGE} reported no file`);
      data = readFileSync(join(dir, info.filename));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const integrity = 'sha512-' + createHash('sha512').update(data).digest('base64');
  if (integrity !== SOURCE_INTEGRITY) {
    throw new Error(`${SOURCE_PACKAGE}: integrity ${integrity} is not the pinned ${SOURCE_INTEGRITY}`);
  }
  return data;
}

/** The named regular files of a .tgz (ustar; long names via the prefix field). */
export function extractFiles(tgz: Buffer, wanted: string[]): Map<string, string> {
  const tar = gunzipSync(tgz);
  const found = new Map<string, string>();
  const field = (off: number, len: number): string => {
    const raw = tar.subarray(off, off + len);
    const nul = raw.indexOf(0);
    return raw.subarray(0, nul < 0 ? len : nul).toString('utf8');
  };
  let pos = 0;
  while (pos + 512 <= tar.length) {
    const name = field(pos, 100);
    if (name === '') break; // the two zero blocks at the end
    const prefix = field(pos + 345, 155);
    const size = parseInt(field(pos + 124, 12).trim() || '0', 8);
    const type = field(pos + 156, 1);
    const full = prefix ? `${prefix}/${name}` : name;
    const body = pos + 512;
    if (body + size > tar.length) throw new Error(`tarball truncated inside ${full}`);
    if ((type === '0' || type === '') && wanted.includes(full)) {
      found.set(full, tar.subarray(body, body + size).toString('utf8'));
    }
    pos = body + Math.ceil(size / 512) * 512;
  }
  for (const w of wanted) if (!found.has(w)) throw new Error(`${SOURCE_PACKAGE} has no ${w}`);
  return found;
}
