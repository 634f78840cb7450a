import { open, type FileHandle } from 'node:fs/promises';

/**
 * Sets the modification time of every entry in a zip file to one fixed instant, in place.
 *
 * exceljs writes its zip through archiver, which stamps each entry with the current time and
 * offers no option to choose it; an XLSX written twice from the same input would then differ.
 * The DOS date and time of each entry sit at fixed offsets in its local header and in its
 * central directory record, so they are overwritten without moving any other byte.
 */
export async function setZipEntryTimes(file: string, when: Date): Promise<number> {
  const { date, time } = dosDateTime(when);
  const handle = await open(file, 'r+');
  try {
    const { entries, cdOffset, cdSize } = await locateCentralDirectory(handle, file);
    const cd = await readAt(handle, cdOffset, cdSize);
    let pos = 0;
    for (let i = 0; i < entries; i++) {
      if (cd.readUInt32LE(pos) !== CENTRAL_SIG) throw new Error(`${file}: corrupt central directory entry ${i}`);
      cd.writeUInt16LE(time, pos + 12);
      cd.writeUInt16LE(date, pos + 14);
      const nameLength = cd.readUInt16LE(pos + 28);
      const extraLength = cd.readUInt16LE(pos + 30);
      const commentLength = cd.readUInt16LE(pos + 32);
      const localOffset = localHeaderOffset(cd, pos, nameLength, extraLength);
      const local = await readAt(handle, localOffset, 4);
      if (local.readUInt32LE(0) !== LOCAL_SIG) throw new Error(`${file}: no local header at offset ${localOffset}`);
      const stamp = Buffer.alloc(4);
      stamp.writeUInt16LE(time, 0);
      stamp.writeUInt16LE(date, 2);
      await handle.write(stamp, 0, 4, localOffset + 10);
      pos += 46 + nameLength + extraLength + commentLength;
    }
    await handle.write(cd, 0, cd.length, cdOffset);
    return entries;
  } finally {
    await handle.close();
  }
}

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const ZIP64_EXTRA = 0x0001;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

/** DOS timestamps have two-second resolution and no zone; the UTC fields are used. */
function dosDateTime(when: Date): { date: number; time: number } {
  const year = Math.min(Math.max(when.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate(),
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | Math.floor(when.getUTCSeconds() / 2),
  };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Error(`short read at offset ${position}`);
  return buffer;
}

async function locateCentralDirectory(handle: FileHandle, file: string): Promise<{ entries: number; cdOffset: number; cdSize: number }> {
  const { size } = await handle.stat();
  // The end record is 22 bytes plus a comment of up to 65,535 bytes.
  const tailLength = Math.min(size, 22 + MAX16);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new Error(`${file}: not a zip file (no end of central directory record)`);
  let entries = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  if ((entries === MAX16 || cdSize === MAX32 || cdOffset === MAX32) && at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR_SIG) {
    const zip64At = Number(tail.readBigUInt64LE(at - 20 + 8));
    const record = await readAt(handle, zip64At, 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw new Error(`${file}: corrupt zip64 end of central directory record`);
    entries = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
  }
  return { entries, cdOffset, cdSize };
}

/** The local header offset of a central directory record, from its zip64 extra field when it overflows 32 bits. */
function localHeaderOffset(cd: Buffer, pos: number, nameLength: number, extraLength: number): number {
  const offset = cd.readUInt32LE(pos + 42);
  if (offset !== MAX32) return offset;
  // The zip64 extra field lists, in order, only the values that overflowed.
  let skip = 0;
  if (cd.readUInt32LE(pos + 24) === MAX32) skip += 8;
  if (cd.readUInt32LE(pos + 20) === MAX32) skip += 8;
  let extra = pos + 46 + nameLength;
  const end = extra + extraLength;
  while (extra + 4 <= end) {
    const id = cd.readUInt16LE(extra);
    const length = cd.readUInt16LE(extra + 2);
    if (id === ZIP64_EXTRA) return Number(cd.readBigUInt64LE(extra + 4 + skip));
    extra += 4 + length;
  }
  throw new Error('zip64 entry without its extra field');
}
