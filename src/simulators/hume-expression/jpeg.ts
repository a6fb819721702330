/**
 * JPEG structure check for images and realtime frames (§4.1, §5.3): SOI, marker segments, a SOF giving the
 * size, a scan, and EOI. Pixels are never decoded; the simulator only needs to know the file is one complete
 * JPEG and how large it is. COM segments are returned: the simulator's deterministic triggers can live there.
 */

export interface JpegInfo {
  width: number;
  height: number;
  /** Text of the COM segments, joined by newlines. */
  comments: string;
}

export class JpegError extends Error {}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;
/** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Markers that stand alone, without a length. */
const isStandalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);

export function inspectJpeg(data: Buffer): JpegInfo {
  if (data.length === 0) throw new JpegError('the image is empty');
  if (data.length < 4 || data[0] !== 0xff || data[1] !== SOI) throw new JpegError('not a JPEG (no SOI marker)');
  let offset = 2;
  let size: { width: number; height: number } | undefined;
  let scanned = false;
  const comments: string[] = [];
  for (;;) {
    if (offset >= data.length) throw new JpegError('the JPEG ends without an EOI marker');
    if (data[offset] !== 0xff) throw new JpegError(`expected a marker at byte ${offset}`);
    while (data[offset] === 0xff) offset++; // fill bytes
    if (offset >= data.length) throw new JpegError('the JPEG ends without an EOI marker');
    const marker = data[offset++]!;
    if (marker === EOI) break;
    if (marker === SOI || marker === 0x00) throw new JpegError(`unexpected marker 0x${marker.toString(16)} at byte ${offset - 1}`);
    if (isStandalone(marker)) continue;
    if (offset + 2 > data.length) throw new JpegError('a JPEG segment is truncated');
    const length = data.readUInt16BE(offset);
    if (length < 2 || offset + length > data.length) throw new JpegError(`a JPEG segment (marker 0x${marker.toString(16)}) is truncated`);
    const body = data.subarray(offset + 2, offset + length);
    offset += length;
    if (isStartOfFrame(marker)) {
      if (body.length < 6) throw new JpegError('the JPEG frame header is truncated');
      const height = body.readUInt16BE(1);
      const width = body.readUInt16BE(3);
      if (width === 0 || height === 0) throw new JpegError(`the JPEG frame header gives a ${width}x${height} image`);
      size = { width, height };
    } else if (marker === COM) comments.push(body.toString('latin1'));
    else if (marker === SOS) {
      if (!size) throw new JpegError('the JPEG scan comes before any frame header');
      scanned = true;
      offset = endOfEntropyData(data, offset);
    }
  }
  if (!size) throw new JpegError('the JPEG has no frame header (SOF)');
  if (!scanned) throw new JpegError('the JPEG has no image data (SOS)');
  return { ...size, comments: comments.join('\n') };
}

/** Entropy-coded data runs until a marker that is neither a stuffed 0xFF00 nor a restart marker. */
function endOfEntropyData(data: Buffer, from: number): number {
  let i = from;
  for (;;) {
    i = data.indexOf(0xff, i);
    if (i < 0 || i + 1 >= data.length) throw new JpegError('the JPEG ends inside its image data (no EOI marker)');
    const next = data[i + 1]!;
    if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) {
      i += next === 0xff ? 1 : 2;
      continue;
    }
    return i;
  }
}
