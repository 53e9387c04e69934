import { BSON } from 'bson';
import type { Document } from 'bson';
import { HEADER_SIZE } from './framing.js';

/** Wire protocol opcodes we speak. */
export const OpCode = { OP_REPLY: 1, OP_QUERY: 2004, OP_COMPRESSED: 2012, OP_MSG: 2013 } as const;

/** OP_MSG flag bits. */
export const MsgFlags = { checksumPresent: 1 << 0, moreToCome: 1 << 1, exhaustAllowed: 1 << 16 } as const;

/** A decoded client request, normalised to "a command document" for both OP_MSG and OP_QUERY. */
export interface Request {
  readonly requestId: number;
  readonly opCode: number;
  /** OP_MSG flag bits (0 for OP_QUERY). */
  readonly flags: number;
  /** The command with kind-1 document sequences merged in as array fields. */
  readonly command: Document;
  /** Database the command targets (`$db`, or the `db.$cmd` namespace for OP_QUERY). */
  readonly db: string;
}

/** Thrown for a well-framed message whose contents we cannot decode. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

function readCString(buffer: Buffer, offset: number): { value: string; next: number } {
  const end = buffer.indexOf(0, offset);
  if (end < 0) throw new DecodeError('unterminated cstring');
  return { value: buffer.toString('utf8', offset, end), next: end + 1 };
}

function readDocument(buffer: Buffer, offset: number): { doc: Document; next: number } {
  if (offset + 4 > buffer.length) throw new DecodeError('truncated BSON document');
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > buffer.length) throw new DecodeError('invalid BSON document size');
  const doc = BSON.deserialize(buffer.subarray(offset, offset + size));
  return { doc, next: offset + size };
}

function decodeMsg(message: Buffer, requestId: number): Request {
  const flags = message.readUInt32LE(HEADER_SIZE);
  // The optional CRC-32C trailer is tolerated but not verified: we only talk to local test clients.
  const end = flags & MsgFlags.checksumPresent ? message.length - 4 : message.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: [string, Document[]][] = [];
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const { doc, next } = readDocument(message, offset);
      body = doc;
      offset = next;
    } else if (kind === 1) {
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new DecodeError('invalid document sequence size');
      const id = readCString(message, offset + 4);
      const docs: Document[] = [];
      let cursor = id.next;
      while (cursor < sectionEnd) {
        const { doc, next } = readDocument(message, cursor);
        docs.push(doc);
        cursor = next;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new DecodeError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new DecodeError('OP_MSG without a body section');
  for (const [id, docs] of sequences) body[id] = docs;
  const db = typeof body.$db === 'string' ? body.$db : 'admin';
  return { requestId, opCode: OpCode.OP_MSG, flags, command: body, db };
}

function decodeQuery(message: Buffer, requestId: number): Request {
  // flags(int32) fullCollectionName(cstring) numberToSkip(int32) numberToReturn(int32) query(doc)
  const ns = readCString(message, HEADER_SIZE + 4);
  const { doc } = readDocument(message, ns.next + 8);
  // Legacy drivers may wrap the command as { $query: {...}, $readPreference }.
  const command = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Document) : doc;
  const dot = ns.value.indexOf('.');
  const db = dot > 0 ? ns.value.slice(0, dot) : ns.value;
  return { requestId, opCode: OpCode.OP_QUERY, flags: 0, command, db };
}

/** Decodes a complete message (header included). OP_COMPRESSED is rejected: we never advertise it. */
export function decodeRequest(message: Buffer): Request {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OpCode.OP_MSG) return decodeMsg(message, requestId);
  if (opCode === OpCode.OP_QUERY) return decodeQuery(message, requestId);
  throw new DecodeError(`unsupported opCode ${opCode}`);
}

let nextResponseId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.alloc(HEADER_SIZE);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

/** Encodes an OP_MSG reply with a single kind-0 section. */
export function encodeMsgReply(responseTo: number, doc: Document, flags = 0): Buffer {
  const body = BSON.serialize(doc);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32LE(flags, 0);
  prefix.writeUInt8(0, 4);
  const length = HEADER_SIZE + prefix.length + body.length;
  return Buffer.concat([header(length, responseTo, OpCode.OP_MSG), prefix, body]);
}

/** Encodes an OP_REPLY (answer to a legacy OP_QUERY handshake) carrying one document. */
export function encodeReply(responseTo: number, doc: Document): Buffer {
  const body = BSON.serialize(doc);
  // responseFlags(int32) cursorID(int64) startingFrom(int32) numberReturned(int32)
  const prefix = Buffer.alloc(20);
  prefix.writeInt32LE(8, 0); // AwaitCapable, as mongod sets it
  prefix.writeBigInt64LE(0n, 4);
  prefix.writeInt32LE(0, 12);
  prefix.writeInt32LE(1, 16);
  const length = HEADER_SIZE + prefix.length + body.length;
  return Buffer.concat([header(length, responseTo, OpCode.OP_REPLY), prefix, body]);
}
