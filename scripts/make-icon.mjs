#!/usr/bin/env node
// Draws the extension icon (128×128 PNG) from code: a mesh of nodes and links
// behind a lens ring. Usage: node scripts/make-icon.mjs images/icon.png
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 128;
const pixels = Buffer.alloc(size * size * 4);
const set = (x, y, [r, g, b, a]) => {
  if (x < 0 || y < 0 || x >= size || y >= size) return;
  const i = (y * size + x) * 4;
  const alpha = a / 255;
  pixels[i] = Math.round(pixels[i] * (1 - alpha) + r * alpha);
  pixels[i + 1] = Math.round(pixels[i + 1] * (1 - alpha) + g * alpha);
  pixels[i + 2] = Math.round(pixels[i + 2] * (1 - alpha) + b * alpha);
  pixels[i + 3] = Math.max(pixels[i + 3], a);
};
const background = [11, 34, 57, 255];
for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
  const dx = Math.max(0, Math.abs(x - 63.5) - 48), dy = Math.max(0, Math.abs(y - 63.5) - 48);
  if (Math.hypot(dx, dy) <= 16) set(x, y, background);
}
const nodes = [[34, 36], [92, 30], [64, 64], [30, 94], [96, 92]];
const links = [[0, 2], [1, 2], [3, 2], [4, 2], [0, 1], [3, 4], [0, 3], [1, 4]];
const line = ([x0, y0], [x1, y1], color, width) => {
  const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2);
  for (let s = 0; s <= steps; s++) {
    const x = x0 + ((x1 - x0) * s) / steps, y = y0 + ((y1 - y0) * s) / steps;
    for (let oy = -width; oy <= width; oy++) for (let ox = -width; ox <= width; ox++) if (ox * ox + oy * oy <= width * width) set(Math.round(x + ox), Math.round(y + oy), color);
  }
};
for (const [a, b] of links) line(nodes[a], nodes[b], [90, 170, 220, 160], 1.2);
for (const [x, y] of nodes) for (let oy = -7; oy <= 7; oy++) for (let ox = -7; ox <= 7; ox++) if (ox * ox + oy * oy <= 49) set(x + ox, y + oy, [248, 196, 64, 255]);
for (let a = 0; a < 720; a++) {
  const t = (a / 720) * Math.PI * 2;
  for (let r = 22; r <= 26; r += 0.5) set(Math.round(64 + Math.cos(t) * r), Math.round(64 + Math.sin(t) * r), [236, 240, 244, 230]);
}
line([82, 82], [104, 104], [236, 240, 244, 255], 4);

const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (buffer) => { let c = 0xffffffff; for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const length = Buffer.alloc(4); length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
  return Buffer.concat([length, body, sum]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0); header.writeUInt32BE(size, 4); header[8] = 8; header[9] = 6;
const raw = Buffer.alloc((size * 4 + 1) * size);
for (let y = 0; y < size; y++) pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(process.argv[2] ?? 'images/icon.png', png);
