// Invariant: for each key set, `ownerAt`/`idAt` of its slot give the owner and id of the latest `set`;
// memory follows the keys, not the sets (replaced ids are compacted away).
import { LimitError } from "../core/errors.js";
import { CharArena } from "./CharArena.js";
import { StringIndex, type StringIndexState } from "./StringIndex.js";

/** The state of a `LatestByKey`: its keys, the ids' bytes, and by slot where each id starts and its owner's number. */
export interface LatestByKeyState {
  readonly keys: StringIndexState;
  readonly ids: Uint8Array;
  readonly idOf: Int32Array;
  readonly ownerOf: Int32Array;
  readonly owners: readonly string[];
  readonly dead: number;
}

/**
 * For millions of keys, the latest (owner, id) pair set for each — e.g. a lot's latest allocation: the
 * partner it went to and the allocation's event id. Keys and ids are kept as bytes in typed arrays
 * (`StringIndex`, `CharArena`), not as live strings; owners (few) by number.
 */
export class LatestByKey {
  private readonly keys: StringIndex;
  private ids: CharArena;
  /** Bytes of `ids` no key points to any more (ids replaced by a later set of a different size). */
  private dead = 0;
  /** By key number: the owner (its number in `owners`) and the id (where it starts in `ids`). */
  private ownerOf = new Int32Array(1 << 10);
  private idOf = new Int32Array(1 << 10);
  private readonly owners: string[] = [];
  private readonly ownerNumbers = new Map<string, number>();

  /** `what` names the keys in the LimitError thrown past 2 GiB (e.g. "lots"). */
  constructor(private readonly what: string) {
    this.keys = new StringIndex(() => new LimitError(what, `the ${what} of this scan passed 2 GiB`));
    this.ids = new CharArena(this.full);
  }

  private readonly full = (): Error => new LimitError(this.what, `the ids kept for the ${this.what} of this scan passed 2 GiB`);

  /** Records `owner` and `id` as the latest of `key`. */
  set(key: string, owner: string, id: string): void {
    const known = this.keys.size;
    const slot = this.keys.intern(key);
    if (slot === this.ownerOf.length) {
      const ownerOf = new Int32Array(slot * 2);
      ownerOf.set(this.ownerOf);
      this.ownerOf = ownerOf;
      const idOf = new Int32Array(slot * 2);
      idOf.set(this.idOf);
      this.idOf = idOf;
    }
    let number = this.ownerNumbers.get(owner);
    if (number === undefined) {
      number = this.owners.length;
      this.ownerNumbers.set(owner, number);
      this.owners.push(owner);
    }
    this.ownerOf[slot] = number;
    if (slot === known) {
      this.idOf[slot] = this.ids.append(id);
      return;
    }
    // A key set again: its latest id replaces the one kept (in place when it is as long).
    const at = this.idOf[slot] as number;
    if (this.ids.overwrite(at, id)) return;
    this.dead += this.ids.sizeAt(at);
    this.idOf[slot] = this.ids.append(id);
    if (this.dead > 1 << 16 && this.dead * 2 > this.ids.size) this.compact();
  }

  /** Copies the ids keys point to into a fresh arena, leaving the replaced ones behind. */
  private compact(): void {
    const arena = new CharArena(this.full);
    for (let slot = 0; slot < this.keys.size; slot++) this.idOf[slot] = this.ids.copyTo(this.idOf[slot] as number, arena);
    this.ids = arena;
    this.dead = 0;
  }

  /** The key's slot, or −1 when the key was never set. */
  find(key: string): number {
    return this.keys.find(key);
  }

  /** The owner of the latest set of the key in `slot`. */
  ownerAt(slot: number): string {
    return this.owners[this.ownerOf[slot] as number] as string;
  }

  /** The id of the latest set of the key in `slot`. */
  idAt(slot: number): string {
    return this.ids.read(this.idOf[slot] as number);
  }

  /**
   * Every key's latest owner and id as plain data (for checkpoints): the keys' and ids' bytes and offsets
   * as typed arrays, so a checkpoint of a million lots makes no string per lot.
   */
  toState(): LatestByKeyState {
    const size = this.keys.size;
    return {
      keys: this.keys.toState(),
      ids: this.ids.toState(),
      idOf: this.idOf.slice(0, size),
      ownerOf: this.ownerOf.slice(0, size),
      owners: [...this.owners],
      dead: this.dead,
    };
  }

  /** Holds the keys of `state` (from `toState`) in the same slots, instead of its own. */
  fromState(state: LatestByKeyState): void {
    this.keys.fromState(state.keys);
    this.ids = new CharArena(this.full);
    this.ids.fromState(state.ids);
    const size = state.idOf.length;
    let capacity = 1 << 10;
    while (capacity <= size) capacity *= 2;
    this.idOf = new Int32Array(capacity);
    this.idOf.set(state.idOf);
    this.ownerOf = new Int32Array(capacity);
    this.ownerOf.set(state.ownerOf);
    this.owners.length = 0;
    this.ownerNumbers.clear();
    for (const owner of state.owners) {
      this.ownerNumbers.set(owner, this.owners.length);
      this.owners.push(owner);
    }
    this.dead = state.dead;
  }

  /** Bytes the kept ids take. */
  get idBytes(): number {
    return this.ids.size;
  }
}
