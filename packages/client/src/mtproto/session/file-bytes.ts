/**
 * Methods whose request or answer is mostly file bytes. Those are already
 * compressed or random as often as not, and large: gzip_packed costs more CPU
 * than it saves bytes there (measured: over half of a transfer's CPU, 2–2.5×
 * slower), so neither side packs them.
 */
export const FILE_BYTES_METHODS: ReadonlySet<string> = new Set([
  'upload.saveFilePart',
  'upload.saveBigFilePart',
  'upload.getFile',
  'upload.getCdnFile',
  'upload.getWebFile',
]);
