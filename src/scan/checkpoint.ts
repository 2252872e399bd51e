// Invariant: decodeCheckpoint(encodeCheckpoint(v)) deep-equals v for plain data (JSON values and typed
// arrays), and refuses bytes of another magic or version before reading anything else.
import { createHash } from "node:crypto";
import { CheckpointError } from "../core/errors.js";

/** The version of the checkpoint format this build writes and reads. */
export const CHECKPOINT_VERSION = 1;

/** "CCKP": the first four bytes of every checkpoint. */
const MAGIC = [0x43, 0x43, 0x4b, 0x50] as const;
/** Magic, version, JSON length: three 32-bit words. */
const HEADER_BYTES = 12;
/** The key that marks a typed array in the JSON (no JSON a state holds has a key with a NUL). */
const TYPED = "\u0000typed";

const TYPED_ARRAYS = {
  Float64Array,
  Int32Array,
  Uint32Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Float32Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type AnyTypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

const align8 = (n: number) => (n + 7) & ~7;

/**
 * Encodes plain data — JSON values and typed arrays at any depth — as checkpoint bytes: a 12-byte header
 * (`CCKP`, the format version, the JSON's length), the JSON with each typed array replaced by a marker,
 * then the typed arrays' bytes, each at an offset aligned to 8. Large numeric state (price windows,
 * recent ids' times) thus costs its bytes, not its digits.
 */
export function encodeCheckpoint(state: unknown): Uint8Array {
  const arrays: AnyTypedArray[] = [];
  let offset = 0;
  const json = JSON.stringify(state, (_key, value: unknown) => {
    if (!ArrayBuffer.isView(value) || value instanceof DataView) return value;
    const array = value as AnyTypedArray;
    const name = array.constructor.name as TypedArrayName;
    if (!Object.hasOwn(TYPED_ARRAYS, name)) throw new TypeError(`encodeCheckpoint: cannot encode a ${name}`);
    arrays.push(array);
    const marker = { [TYPED]: [name, offset, array.length] };
    offset = align8(offset + array.byteLength);
    return marker;
  });
  const text = Buffer.from(json, "utf8");
  const start = align8(HEADER_BYTES + text.length);
  const bytes = new Uint8Array(start + offset);
  bytes.set(MAGIC, 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(4, CHECKPOINT_VERSION, true);
  view.setUint32(8, text.length, true);
  bytes.set(text, HEADER_BYTES);
  let at = start;
  for (const array of arrays) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at = align8(at + array.byteLength);
  }
  return bytes;
}

/** Decodes checkpoint bytes (`encodeCheckpoint`); refuses what is no checkpoint, or one of another version. */
export function decodeCheckpoint(bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) throw new CheckpointError("CHECKPOINT_INVALID", `expected a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  if (bytes.length < HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new CheckpointError("CHECKPOINT_INVALID", "not a channel-conflict checkpoint; expected bytes from scanner.checkpoint()");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(
      "CHECKPOINT_VERSION",
      `written in format version ${version}; expected version ${CHECKPOINT_VERSION} (this build cannot resume from it: start without a checkpoint, or with the build that wrote it)`,
    );
  }
  const length = view.getUint32(8, true);
  const start = align8(HEADER_BYTES + length);
  if (start > bytes.length) throw new CheckpointError("CHECKPOINT_INVALID", `truncated: ${bytes.length} bytes, expected at least ${start}`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + HEADER_BYTES, length).toString("utf8");
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (typeof value !== "object" || value === null || !Object.hasOwn(value, TYPED)) return value;
      const [name, offset, count] = (value as Record<string, [TypedArrayName, number, number]>)[TYPED] as [TypedArrayName, number, number];
      const Type = Object.hasOwn(TYPED_ARRAYS, name) ? TYPED_ARRAYS[name] : undefined;
      if (Type === undefined) throw new Error(`unknown typed array ${String(name)}`);
      const end = start + offset + count * Type.BYTES_PER_ELEMENT;
      if (end > bytes.length) throw new Error(`a ${name} of ${count} ends past the checkpoint's ${bytes.length} bytes`);
      // A copy, aligned for its element type whatever the offset of the bytes handed in.
      return new Type(bytes.slice(start + offset, end).buffer);
    });
  } catch (error) {
    throw new CheckpointError("CHECKPOINT_INVALID", `unreadable: ${(error as Error).message}`, { cause: error });
  }
}

/** A short, stable hash of a JSON value (the identity of a rule set or of reference data). */
export function identityOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}
