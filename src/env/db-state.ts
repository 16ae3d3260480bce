/**
 * Database state for one episode: a copy-on-write overlay over a shared, frozen base database.
 * Episodes never see each other's writes, and 64 concurrent episodes cost one base copy plus the
 * records they touched. Tools read with {@link Table.get} and must call {@link Table.mut} before
 * changing a record (the base is deep-frozen, so forgetting to throws instead of leaking).
 */
import { createHash, type Hash } from 'node:crypto';
import { jcsStringify } from '../core/py/jcs.js';
import { clonePy, deepFreeze, type PyObject, type PyValue } from '../core/py/py-value.js';

/** A loaded database: named tables of records keyed by id, in file order. Shared and frozen. */
export class BaseDb {
  readonly tables: ReadonlyMap<string, ReadonlyMap<string, PyObject>>;
  /** Canonical JSON of base records, computed once and shared by every episode. */
  readonly #canon = new WeakMap<object, string>();
  /** Per table: base ids in JCS (UTF-16) order, and the canonical text of all its entries. */
  readonly #sorted = new Map<string, { ids: string[]; text: string }>();
  /** sha256 states after `{` and the first i tables in sorted order (i = 0..n-1), for {@link DbState.jcsSha256}. */
  #prefixes: Hash[] | undefined;

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
      s = jcsStringify(record);
      this.#canon.set(record, s);
    }
    return s;
  }

  /** Base ids of a table in JCS order and the canonical text of its entries (`"id":{...},...`), memoised. */
  sortedTable(name: string): { ids: string[]; text: string } {
    let t = this.#sorted.get(name);
    if (t === undefined) {
      const rows = this.tables.get(name) ?? new Map<string, PyObject>();
      const ids = [...rows.keys()].sort();
      const text = ids.map((id) => `${JSON.stringify(id)}:${this.canonical(rows.get(id) as PyObject)}`).join(',');
      t = { ids, text };
      this.#sorted.set(name, t);
    }
    return t;
  }

  /** Table names in JCS order. */
  sortedTableNames(): string[] {
    return [...this.tables.keys()].sort();
  }

  /**
   * The sha256 state after the database's opening `{` and its first `count` tables (untouched),
   * copied so the caller may continue it. Memoised per base.
   */
  prefixHash(count: number): Hash {
    if (this.#prefixes === undefined) {
      const names = this.sortedTableNames();
      const states: Hash[] = [];
      const h = createHash('sha256').update('{');
      names.forEach((name, i) => {
        states.push(h.copy());
        h.update(`${i > 0 ? ',' : ''}${JSON.stringify(name)}:{${this.sortedTable(name).text}}`);
      });
      this.#prefixes = states;
    }
    return (this.#prefixes[count] as Hash).copy();
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
    return baseRec === rec ? this.base.canonical(baseRec) : jcsStringify(rec as PyObject);
  }

  /**
   * sha256 hex of the RFC 8785 canonical JSON of the whole database (`{"<table>": {id: record}}`),
   * streamed; unchanged records reuse the base's memoised canonical text.
   */
  jcsSha256(): string {
    const names = this.base.sortedTableNames();
    const own = this.tableNames();
    if (own.length !== names.length || own.some((n) => !this.base.tables.has(n))) return this.#jcsSha256Slow();
    // Tables before the first one this episode touched hash exactly as in the base: resume from
    // the base's memoised state there, then stream the rest (untouched tables as one cached text).
    const touched = names.map((n) => this.table(n).touchedIds().length > 0);
    const first = touched.indexOf(true);
    if (first < 0 && this.#baseHash !== undefined) return this.#baseHash;
    const start = first < 0 ? names.length : first;
    const h = this.base.prefixHash(Math.min(start, names.length - 1));
    for (let i = Math.min(start, names.length - 1); i < names.length; i++) {
      const name = names[i] as string;
      h.update(`${i > 0 ? ',' : ''}${JSON.stringify(name)}:{`);
      h.update(touched[i] === true ? this.#tableText(name) : this.base.sortedTable(name).text);
      h.update('}');
    }
    h.update('}');
    const hex = h.digest('hex');
    if (first < 0) this.#baseHash = hex;
    return hex;
  }

  #baseHash: string | undefined;

  /** Canonical text of a touched table's entries, reusing the base's canonical records. */
  #tableText(name: string): string {
    const table = this.table(name);
    const baseIds = this.base.sortedTable(name).ids;
    const extra = table.touchedIds().filter((id) => !this.base.tables.get(name)?.has(id));
    const ids = extra.length === 0 ? baseIds : [...baseIds, ...extra].sort();
    const parts: string[] = [];
    for (const id of ids) {
      const rec = table.get(id);
      if (rec === undefined) continue;
      parts.push(`${JSON.stringify(id)}:${this.#canonicalRecord(name, id, rec)}`);
    }
    return parts.join(',');
  }

  /** The straightforward streaming hash (used when the tables differ from the base's). */
  #jcsSha256Slow(): string {
    const h = createHash('sha256');
    h.update('{');
    const names = this.tableNames().sort();
    names.forEach((name, ti) => {
      if (ti > 0) h.update(',');
      h.update(`${JSON.stringify(name)}:{${this.#tableText(name)}}`);
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
        if (jcsStringify(ra as PyObject, { typedFloats }) !== jcsStringify(rb as PyObject, { typedFloats })) return `${name}/${id}`;
      }
      // Insertion order of new ids is not part of equality (the reference hashes sorted keys).
    }
    return undefined;
  }
}
