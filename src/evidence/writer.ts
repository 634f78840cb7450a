import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { Transform, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { AuditpackError } from '../errors';
import { digestBytes, type FileEntry } from '../integrity/files';
import { StagedDirectory, type StageOptions } from '../integrity/staged-dir';
import { writeFailure, writing } from '../integrity/write-errors';
import { TOOL } from '../version';
import { describeIssue } from '../util/zod';
import { MANIFEST_FILE } from '../integrity/verify';
import { MAX_LINE_BYTES } from './jsonl';
import { ATTACHMENTS_DIR, EVIDENCE_KINDS, EVIDENCE_KIND_NAMES, schemaOf, type EvidenceKind, type EvidenceRecord } from './kinds';
import { PACK_FORMAT, PACK_FORMAT_VERSION, type PackDescription, type PackManifest } from './manifest';
import type { AttachmentRef } from './records';

interface KindStream {
  out: WriteStream;
  hash: Hash;
  bytes: number;
  records: number;
  /** The stream's first error (a full disk, say): every later write and the commit fail with it instead of waiting on a dead stream. */
  failure: unknown;
}

/**
 * Writes an evidence pack into a staged directory: records are validated as they are written
 * (a collector bug must not produce a pack that the reader rejects later), hashed on the way
 * out, and the manifest is written last, just before the directory is renamed into place.
 */
export class PackWriter {
  private readonly streams = new Map<EvidenceKind, KindStream>();
  private readonly attachments = new Map<string, FileEntry>();
  private incoming = 0;

  private constructor(private readonly staged: StagedDirectory) {}

  static async create(target: string, options: StageOptions = {}): Promise<PackWriter> {
    const staged = await StagedDirectory.create(target, options);
    const writer = new PackWriter(staged);
    try {
      for (const kind of EVIDENCE_KIND_NAMES) await writer.open(kind);
    } catch (e) {
      await staged.abort();
      throw e;
    }
    return writer;
  }

  get target(): string {
    return this.staged.target;
  }

  private async open(kind: EvidenceKind): Promise<void> {
    const file = path.join(this.staged.path, EVIDENCE_KINDS[kind].file);
    await mkdir(path.dirname(file), { recursive: true });
    const entry: KindStream = { out: this.staged.track(createWriteStream(file)), hash: createHash('sha256'), bytes: 0, records: 0, failure: null };
    entry.out.once('error', (e) => (entry.failure = writeFailure(EVIDENCE_KINDS[kind].file, e)));
    this.streams.set(kind, entry);
  }

  async write<K extends EvidenceKind>(kind: K, record: EvidenceRecord<K>): Promise<void> {
    const parsed = schemaOf(kind).safeParse(record);
    if (!parsed.success) throw new AuditpackError(`${kind} record ${JSON.stringify(record).slice(0, 200)}: ${describeIssue(parsed.error)}`);
    const stream = this.streams.get(kind)!;
    if (stream.failure) throw stream.failure;
    const line = `${JSON.stringify(parsed.data)}\n`;
    const bytes = Buffer.byteLength(line);
    // The reader refuses longer lines: never write a pack it cannot read.
    if (bytes - 1 > MAX_LINE_BYTES) throw new AuditpackError(`${kind} record ${JSON.stringify(record).slice(0, 200)}: longer than ${MAX_LINE_BYTES} bytes as JSON`);
    stream.hash.update(line);
    stream.bytes += bytes;
    stream.records++;
    if (!stream.out.write(line)) await once(stream.out, 'drain').catch((e: unknown) => Promise.reject(stream.failure ?? e));
  }

  /** Stores a file once under attachments/<sha256>, whatever name it is attached under. */
  async attach(name: string, content: Buffer, mediaType: string): Promise<AttachmentRef> {
    const digest = digestBytes(content);
    const rel = `${ATTACHMENTS_DIR}/${digest.sha256}`;
    if (!this.attachments.has(rel)) {
      await mkdir(path.join(this.staged.path, ATTACHMENTS_DIR), { recursive: true });
      await writing(rel, () => writeFile(path.join(this.staged.path, rel), content));
      this.attachments.set(rel, { path: rel, ...digest, records: null });
    }
    return { name, sha256: digest.sha256, bytes: digest.bytes, mediaType };
  }

  /**
   * Stores a file read from `source` as attach() does, without holding it in memory: it is
   * hashed while it is written under a temporary name, then renamed to its hash. A source
   * that fails (a read error, a size bound its caller set) leaves nothing behind.
   */
  async attachStream(name: string, source: Readable, mediaType: string): Promise<AttachmentRef> {
    const dir = path.join(this.staged.path, ATTACHMENTS_DIR);
    await mkdir(dir, { recursive: true });
    const temporary = path.join(dir, `.incoming-${++this.incoming}`);
    const hash = createHash('sha256');
    let bytes = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, hashing, createWriteStream(temporary));
    } catch (e) {
      await rm(temporary, { force: true });
      throw writeFailure(`${ATTACHMENTS_DIR}/${name}`, e);
    }
    const sha256 = hash.digest('hex');
    const rel = `${ATTACHMENTS_DIR}/${sha256}`;
    if (this.attachments.has(rel)) await rm(temporary);
    else {
      await rename(temporary, path.join(this.staged.path, rel));
      this.attachments.set(rel, { path: rel, sha256, bytes, records: null });
    }
    return { name, sha256, bytes, mediaType };
  }

  /** Finishes every file, writes manifest.json and moves the pack into place. */
  async commit(description: PackDescription): Promise<PackManifest> {
    try {
      const files: FileEntry[] = [...this.attachments.values()];
      for (const [kind, s] of this.streams) {
        if (s.failure) throw s.failure;
        s.out.end();
        await finished(s.out).catch((e: unknown) => Promise.reject(s.failure ?? e));
        files.push({ path: EVIDENCE_KINDS[kind].file, sha256: s.hash.digest('hex'), bytes: s.bytes, records: s.records });
      }
      files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const manifest: PackManifest = {
        format: PACK_FORMAT,
        formatVersion: PACK_FORMAT_VERSION,
        ...description,
        tool: { ...TOOL },
        files,
      };
      await writing(MANIFEST_FILE, () => writeFile(path.join(this.staged.path, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`));
      await this.staged.commit();
      return manifest;
    } catch (e) {
      await this.abort();
      throw e;
    }
  }

  async abort(): Promise<void> {
    for (const s of this.streams.values()) s.out.destroy();
    await this.staged.abort();
  }
}
