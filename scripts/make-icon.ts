/**
 * Draws the app icon (a white padlock on a blue tile) and writes assets/icon.ico with PNG images at every size
 * Windows asks for (16–256 px). Run by hand after changing the drawing: `npx tsx scripts/make-icon.ts`.
 * electron-builder takes the .ico for the exe, the installer and the uninstaller (electron-builder.yml).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 24, 32, 48, 64, 128, 256];
const BLUE = [0x0f, 0x6c, 0xbd];
const WHITE = [0xff, 0xff, 0xff];

/** Signed distance to a rounded rectangle centred at (cx, cy) with half sizes hw, hh and radius r (units: 0..1). */
function roundedRect(x: number, y: number, cx: number, cy: number, hw: number, hh: number, r: number): number {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Colour of one point of the unit square: [r, g, b, coverage of tile, coverage of white]. */
function shapes(x: number, y: number): { tile: number; white: number } {
  const tile = roundedRect(x, y, 0.5, 0.5, 0.47, 0.47, 0.12);
  const body = roundedRect(x, y, 0.5, 0.62, 0.25, 0.2, 0.05);
  // The shackle: a ring (outer radius 0.17, thickness 0.065) above the body, its lower half hidden in the body.
  const ring = Math.abs(Math.hypot(x - 0.5, y - 0.42) - 0.14) - 0.035;
  const shackle = y < 0.47 ? ring : Math.max(ring, Math.abs(x - 0.5) > 0.105 ? -1 : 1);
  const keyhole = Math.min(Math.hypot(x - 0.5, y - 0.6) - 0.045, roundedRect(x, y, 0.5, 0.67, 0.018, 0.06, 0.01));
  const lock = Math.max(Math.min(body, shackle), -keyhole);
  return { tile, white: lock };
}

function render(size: number): Buffer {
  const samples = 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let white = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const { tile: t, white: w } = shapes((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (t <= 0) tile++;
          if (t <= 0 && w <= 0) white++;
        }
      }
      const n = samples * samples;
      const alpha = tile / n;
      const mix = tile ? white / tile : 0;
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(BLUE[c]! * (1 - mix) + WHITE[c]! * mix);
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return png(size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4); // planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

const images = SIZES.map((size) => ({ size, data: render(size) }));
writeFileSync(join(__dirname, '..', 'assets', 'icon.ico'), ico(images));
console.log(`assets/icon.ico: ${SIZES.join(', ')} px`);
