// Width and height from an image's header (PNG, JPEG, GIF), enough for the
// photoSize of an uploaded photo; the emulator decodes no pixels.

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'unknown';

export interface ImageInfo {
  format: ImageFormat;
  w: number;
  h: number;
}

/** Reads the header in `head` (the first bytes of the file; 64 KiB finds any sane JPEG frame header). */
export function imageInfo(head: Uint8Array): ImageInfo {
  const b = Buffer.from(head.buffer, head.byteOffset, head.length);
  // PNG: the signature, then IHDR with width and height as big-endian u32.
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR') {
    return { format: 'png', w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
  }
  // GIF: "GIF87a"/"GIF89a", then width and height as little-endian u16.
  if (b.length >= 10 && b.toString('latin1', 0, 4) === 'GIF8') {
    return { format: 'gif', w: b.readUInt16LE(6), h: b.readUInt16LE(8) };
  }
  // JPEG: walk the markers to the first start-of-frame (SOF0…SOF15 but DHT, JPG and DAC).
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let p = 2;
    while (p + 9 < b.length) {
      if (b[p] !== 0xff) break;
      const marker = b[p + 1]!;
      if (marker === 0xff) {
        p++;
        continue;
      }
      const len = b.readUInt16BE(p + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'jpeg', w: b.readUInt16BE(p + 7), h: b.readUInt16BE(p + 5) };
      }
      p += 2 + len;
    }
    return { format: 'jpeg', w: 0, h: 0 };
  }
  return { format: 'unknown', w: 0, h: 0 };
}

/** Telegram's size letter for a photo whose longer side is `side` pixels (s 100, m 320, x 800, y 1280, w 2560). */
export function photoSizeType(w: number, h: number): string {
  const side = Math.max(w, h);
  if (side === 0) return 'x';
  if (side <= 100) return 's';
  if (side <= 320) return 'm';
  if (side <= 800) return 'x';
  if (side <= 1280) return 'y';
  return 'w';
}
