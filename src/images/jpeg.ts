/**
 * Enough of JPEG to refuse what a provider would refuse, before anything is sent: the file is a JPEG (SOI, a frame
 * header, EOI) and its pixel size. Hand-written: reading the markers up to the first frame header is a few lines,
 * and an image library would decode whole images to learn the same.
 */

export interface JpegInfo {
  width: number;
  height: number;
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic...): C0-CF except DHT (C4), JPG (C8), DAC (CC). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** The image's size, or a reason it is not a JPEG. */
export function readJpeg(bytes: Uint8Array): JpegInfo | { problem: string } {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) return { problem: 'is not a JPEG (no JPEG start marker)' };
  // The end marker, allowing for padding some writers add after it.
  let end = bytes.length - 1;
  while (end > 1 && bytes[end] === 0x00) end--;
  if (bytes[end - 1] !== 0xff || bytes[end] !== 0xd9) return { problem: 'is not a complete JPEG (no end marker: cut off?)' };
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return { problem: 'is not a valid JPEG (broken marker structure)' };
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2; // markers without a length
      continue;
    }
    const length = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
    if (length < 2 || offset + 2 + length > bytes.length) return { problem: 'is not a valid JPEG (a segment runs past the end)' };
    if (isStartOfFrame(marker)) {
      if (length < 7) return { problem: 'is not a valid JPEG (short frame header)' };
      const height = (bytes[offset + 5]! << 8) | bytes[offset + 6]!;
      const width = (bytes[offset + 7]! << 8) | bytes[offset + 8]!;
      if (width === 0 || height === 0) return { problem: 'is a JPEG without a size' };
      return { width, height };
    }
    if (marker === 0xda) break; // scan data before any frame header
    offset += 2 + length;
  }
  return { problem: 'is not a valid JPEG (no frame header)' };
}
