/**
 * Database state for one episode: a copy-on-write overlay over a shared, frozen base database.
 * Episodes never see each other's writes, and 64 concurrent episodes cost one base copy plus the
 * records they touched. Tools read with {@link Table.get} and must call {@link Table.mut} before
 * changing a record (the base is deep-frozen, so forgetting to throws instead of leaking).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/py/jcs.js';
import { clonePy, deepFreeze, type PyObject, type PyValue } from '../core/py/py-value.js';

/** A loaded database: named tables of records keyed by id, in file order. Shared and frozen. */
export class BaseDb {
  readonly tables: ReadonlyMap<string, ReadonlyMap<string, PyObject>>;
  /** Canonical JSON of base records, computed once and shared by every episode. */
  readonly #canon = new WeakMap<object, string>();

  /** @param tables table name → (record id → record), e.g. `users`, `orders`, `products`. */
  constructor(tables: Iterable<readonly [string, Iterable<readonly [string, PyObject]>]>) {
    const out = new Map<string, Map<string, PyObject>>();
    for (const [name, rows] of tables) {
      const m = new Map<string, PyObject>();
      for (const [id, row] of rows) m.set(id, deepFreeze(row));
      out.set(name, m);
    }
    this.tables = out;
  }

  /** Canonical JSON (JCS) of a base record, memoised. */
  canonical(record: PyObject): string {
    let s = this.#canon.get(record);
    if (s === undefined) {
      s = canonicalJson(record);
      this.#canon.set(record, s);
    }
    return s;
  }

  /** A fresh episode state over this base. */
  fork(): DbState {
    return new DbState(this);
  }
}

const DELETED = Symbol('deleted');

/** One table of an episode's database. */
export class Table {
  readonly #base: ReadonlyMap<string, PyObject>;
  /** id → own copy (written), or DELETED. New ids are appended in insertion order. */
  readonly #overlay = new Map<string, PyObject | typeof DELETED>();

  constructor(base: ReadonlyMap<string, PyObject>) {
    this.#base = base;
  }

  /** The record, read-only (it may be the shared base copy). */
  get(id: string): Readonly<PyObject> | undefined {
    const o = this.#overlay.get(id);
    if (o === DELETED) return undefined;
    return o ?? this.#base.get(id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** A writable copy of the record, made on first write. Undefined if the id does not exist. */
  mut(id: string): PyObject | undefined {
    const o = this.#overlay.get(id);
    if (o === DELETED) return undefined;
    if (o !== undefined) return o;
    const b = this.#base.get(id);
    if (b === undefined) return undefined;
    const copy = clonePy(b);
    this.#overlay.set(id, copy);
    return copy;
  }

  /** Inserts or replaces a record (a new id goes after all existing ones, like a Python dict). */
  set(id: string, record: PyObject): void {
    this.#overlay.set(id, record);
  }

  delete(id: string): void {
    this.#overlay.set(id, DELETED);
  }

  /** Ids in Python dict order: base order, then inserted ids. */
  *ids(): IterableIterator<string> {
    for (const id of this.#base.keys()) if (this.#overlay.get(id) !== DELETED) yield id;
    for (const [id, v] of this.#overlay) if (!this.#base.has(id) && v !== DELETED) yield id;
  }

  *entries(): IterableIterator<[string, Readonly<PyObject>]> {
    for (const id of this.ids()) yield [id, this.get(id) as PyObject];
  }

  *values(): IterableIterator<Readonly<PyObject>> {
    for (const id of this.ids()) yield this.get(id) as PyObject;
  }

  get size(): number {
    let n = 0;
    for (const _ of this.ids()) n++;
    return n;
  }

  /** Ids whose record differs from (or is absent in) the base: touched by this episode. */
  touchedIds(): string[] {
    return [...this.#overlay.keys()];
  }
}

/** An episode's database: tables over a shared {@link BaseDb}. */
export class DbState {
  readonly base: BaseDb;
  readonly #tables = new Map<string, Table>();

  constructor(base: BaseDb) {
    this.base = base;
    for (const [name, rows] of base.tables) this.#tables.set(name, new Table(rows));
  }

  /** A table by name; throws for an unknown table (a programming error in a tool). */
  table(name: string): Table {
    const t = this.#tables.get(name);
    if (t === undefined) throw new Error(`unknown table ${name}`);
    return t;
  }

  tableNames(): string[] {
    return [...this.#tables.keys()];
  }

  #canonicalRecord(name: string, id: string, rec: Readonly<PyObject>): string {
    const baseRec = this.base.tables.get(name)?.get(id);
    return baseRec === rec ? this.base.canonical(baseRec) : canonicalJson(rec as PyObject);
  }

  /**
   * sha256 hex of the RFC 8785 canonical JSON of the whole database (`{"<table>": {id: record}}`),
   * streamed; unchanged records reuse the base's memoised canonical text.
   */
  jcsSha256(): string {
    const h = createHash('sha256');
    h.update('{');
    const names = this.tableNames().sort();
    names.forEach((name, ti) => {
      if (ti > 0) h.update(',');
      h.update(`${JSON.stringify(name)}:{`);
      const table = this.table(name);
      const ids = [...table.ids()].sort();
      ids.forEach((id, i) => {
        if (i > 0) h.update(',');
        h.update(`${JSON.stringify(id)}:`);
        h.update(this.#canonicalRecord(name, id, table.get(id) as PyObject));
      });
      h.update('}');
    });
    h.update('}');
    return h.digest('hex');
  }

  /** The whole database as one value (copies nothing; records may be frozen base objects). */
  toValue(): PyObject {
    const out: PyObject = {};
    for (const name of this.tableNames()) {
      const t: PyObject = {};
      for (const [id, rec] of this.table(name).entries()) t[id] = rec as PyValue;
      out[name] = t;
    }
    return out;
  }

  /**
   * Compares two states over the same base record by record, touching only what either changed.
   * With `typedFloats` (default true) `250` and `250.0` differ, as in the Python reference.
   * Returns the first differing `table/id`, or undefined when equal.
   */
  firstDifference(other: DbState, options: { typedFloats?: boolean } = {}): string | undefined {
    if (other.base !== this.base) throw new Error('can only compare states over the same base database');
    const typedFloats = options.typedFloats ?? true;
    for (const name of this.tableNames()) {
      const a = this.table(name);
      const b = other.table(name);
      const ids = new Set([...a.touchedIds(), ...b.touchedIds()]);
      for (const id of ids) {
        const ra = a.get(id);
        const rb = b.get(id);
        if (ra === rb) continue;
        if (ra === undefined || rb === undefined) return `${name}/${id}`;
        if (canonicalJson(ra as PyObject, { typedFloats }) !== canonicalJson(rb as PyObject, { typedFloats })) return `${name}/${id}`;
      }
      // Insertion order of new ids is not part of equality (the reference hashes sorted keys).
    }
    return undefined;
  }
}
