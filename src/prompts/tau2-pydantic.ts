/**
 * Pydantic v2 JSON schemas (`BaseModel.model_json_schema()`, validation mode) for the types τ²
 * annotates its tools and data models with, computed from Python source read by
 * `src/core/py/py-source.ts` — no Python needed. Covered: `str`, `int`, `float`, `bool`, `None`,
 * `Any`, `dict`/`Dict[str, X]`, `list`/`List[X]`, `Optional[X]`, `Union[...]`, `X | Y`,
 * `Literal[...]`, `Annotated[X, Field(...)]` at field level, module-level type aliases, and
 * `BaseModel` subclasses (inheritance, class docstrings, `Field(default, description=...)`),
 * referenced through `$defs`. Anything else is a {@link DataError} naming the file and line, so
 * an unknown shape never turns into a silently different schema.
 *
 * Pydantic's rules reproduced here (cross-checked against pydantic 2.13): keys of every schema
 * object sorted, except inside `properties` and `default`; a field's `title` is
 * `name.title().replace('_', ' ')` and is left out when the field is a model or an optional
 * model; `Literal` of one value is `const`, of several `enum` (with `type` when all values share
 * one); `Optional[X]` is `anyOf: [X, {type: null}]`; `required` lists fields without default.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../core/errors.js';
import { cleandoc } from '../core/py/py-docstring.js';
import { dottedName, type PyExpr } from '../core/py/py-expr.js';
import { PyFloat } from '../core/py/py-float.js';
import { readPyModule, type PyClass, type PyModule } from '../core/py/py-source.js';
import { orderedKeys, type PyValue } from '../core/py/py-value.js';
import { readTextFile } from '../core/utf8.js';

/** A JSON value whose objects keep an explicit key order (integer-like keys included). */
export type Json = null | boolean | number | string | Json[] | JsonObject;

/** An ordered JSON object. */
export class JsonObject {
  readonly entries: Array<[string, Json]>;
  constructor(entries: Array<[string, Json]> = []) {
    this.entries = entries;
  }
  get(key: string): Json | undefined {
    return this.entries.find(([k]) => k === key)?.[1];
  }
  set(key: string, value: Json): this {
    const e = this.entries.find(([k]) => k === key);
    if (e !== undefined) e[1] = value;
    else this.entries.push([key, value]);
    return this;
  }
  has(key: string): boolean {
    return this.entries.some(([k]) => k === key);
  }
}

/** Shorthand for an ordered object. */
export function jobj(entries: Record<string, Json>): JsonObject {
  return new JsonObject(Object.entries(entries));
}

/** Compact JSON text (Python `json.dumps(v, separators=(',', ':'), ensure_ascii=False)`). */
export function jsonText(v: Json): string {
  if (v instanceof JsonObject) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
  return JSON.stringify(v);
}

/** Pydantic's final pass: sort keys recursively, except the children of `properties` and `default`. */
export function sortSchema(v: Json, parentKey?: string): Json {
  if (v instanceof JsonObject) {
    const entries = parentKey === 'properties' || parentKey === 'default' ? [...v.entries] : [...v.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return new JsonObject(entries.map(([k, x]) => [k, sortSchema(x, k)]));
  }
  if (Array.isArray(v)) return v.map((x) => sortSchema(x, parentKey));
  return v;
}

/** A Python value (from a literal) as ordered JSON. */
export function jsonOfPy(v: PyValue): Json {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(jsonOfPy);
  if (v !== null && typeof v === 'object') return new JsonObject(orderedKeys(v).map((k) => [k, jsonOfPy((v as Record<string, PyValue>)[k] as PyValue)]));
  return v;
}

/** Python `str.title()`: upper-case a cased character after an uncased one, lower-case the rest. */
export function pyTitle(s: string): string {
  let out = '';
  let prevCased = false;
  for (const c of s) {
    const cased = c.toLowerCase() !== c.toUpperCase();
    out += cased ? (prevCased ? c.toLowerCase() : c.toUpperCase()) : c;
    prevCased = cased;
  }
  return out;
}

/** A pydantic field's title. */
export function fieldTitle(name: string): string {
  return pyTitle(name).replace(/_/g, ' ');
}

/** What `Field(...)` (or a plain default) says about a field. */
export interface FieldInfo {
  /** Undefined → required. */
  default?: Json;
  description?: string;
}

/** A resolved type. */
type PyType =
  | { t: 'schema'; schema: JsonObject }
  | { t: 'none' }
  | { t: 'list'; item: PyType | undefined }
  | { t: 'dict'; value: PyType | undefined }
  | { t: 'union'; options: PyType[] }
  | { t: 'literal'; values: Json[] }
  | { t: 'model'; cls: PyClass; mod: PyModule }
  | { t: 'annotated'; inner: PyType; field: FieldInfo };

const TYPING = new Set(['typing', 'typing_extensions', 'pydantic', 'builtins']);

/** Reads `.py` modules of a checkout's `src/` tree by dotted name, once each. */
export class PyModules {
  readonly #root: string;
  readonly #cache = new Map<string, PyModule>();

  /** @param srcRoot the directory holding the top-level package (`<checkout>/src`). */
  constructor(srcRoot: string) {
    this.#root = srcRoot;
  }

  /** The file of a dotted module name, if it exists under the root. */
  fileOf(name: string): string | undefined {
    const base = join(this.#root, ...name.split('.'));
    return [`${base}.py`, join(base, '__init__.py')].find((f) => existsSync(f));
  }

  /** Reads a module by file path. */
  byFile(file: string): PyModule {
    let mod = this.#cache.get(file);
    if (mod === undefined) {
      let text: string;
      try {
        text = readTextFile(file);
      } catch (e) {
        if (e instanceof DataError) throw e;
        throw new DataError(`cannot read ${file}: ${(e as Error).message}`, { code: 'data_not_found', path: file, cause: e });
      }
      mod = readPyModule(text, file);
      this.#cache.set(file, mod);
    }
    return mod;
  }

  /** Reads a module by dotted name; undefined when it is not part of the tree. */
  byName(name: string): PyModule | undefined {
    const file = this.fileOf(name);
    return file === undefined ? undefined : this.byFile(file);
  }
}

/** A name resolved in a module: a typing/builtin name, a class, or an alias expression. */
type Resolved = { kind: 'builtin'; name: string } | { kind: 'class'; cls: PyClass; mod: PyModule } | { kind: 'alias'; expr: PyExpr; mod: PyModule };

/** Builds pydantic JSON schemas; collects `$defs` across the types it is asked about. */
export class SchemaBuilder {
  readonly modules: PyModules;
  /** `$defs` by model name. */
  readonly defs = new Map<string, JsonObject>();
  readonly #defOrigin = new Map<string, PyClass>();

  constructor(modules: PyModules) {
    this.modules = modules;
  }

  fail(mod: PyModule, at: number, message: string): never {
    return mod.src.fail(message, at);
  }

  /** Resolves a (dotted) name used in `mod`. */
  resolve(mod: PyModule, name: string, at: number, depth = 0): Resolved {
    if (depth > 20) this.fail(mod, at, `cannot resolve ${name}: import cycle`);
    const dot = name.indexOf('.');
    if (dot > 0) {
      const head = name.slice(0, dot);
      const imp = mod.imports.get(head);
      if (TYPING.has(head) || (imp !== undefined && TYPING.has(imp.module))) return { kind: 'builtin', name: name.slice(dot + 1) };
      return this.fail(mod, at, `unsupported dotted name ${name}`);
    }
    const cls = mod.classes.get(name);
    if (cls !== undefined) return { kind: 'class', cls, mod };
    const alias = mod.assigns.get(name);
    if (alias !== undefined) return { kind: 'alias', expr: mod.expr(alias), mod };
    const imp = mod.imports.get(name);
    if (imp !== undefined) {
      if (TYPING.has(imp.module)) return { kind: 'builtin', name: imp.name };
      const other = this.modules.byName(imp.module);
      if (other === undefined) return this.fail(mod, at, `${name} is imported from ${imp.module}, which is not in the checkout's source tree`);
      return this.resolve(other, imp.name, imp.at, depth + 1);
    }
    return { kind: 'builtin', name };
  }

  /** Evaluates a type annotation in `mod`. */
  type(mod: PyModule, e: PyExpr): PyType {
    if (e.k === 'const' && e.value === null) return { t: 'none' };
    if (e.k === 'union') return union([this.type(mod, e.left), this.type(mod, e.right)]);
    if (e.k === 'const' && typeof e.value === 'string') return this.fail(mod, e.at, `string (forward-reference) annotations are not supported: "${e.value}"`);
    if (e.k === 'name' || e.k === 'attr') {
      const name = dottedName(e) as string;
      const r = this.resolve(mod, name, e.at);
      if (r.kind === 'class') return this.classType(r.cls, r.mod);
      if (r.kind === 'alias') return this.type(r.mod, r.expr);
      switch (r.name) {
        case 'str':
          return { t: 'schema', schema: jobj({ type: 'string' }) };
        case 'int':
          return { t: 'schema', schema: jobj({ type: 'integer' }) };
        case 'float':
          return { t: 'schema', schema: jobj({ type: 'number' }) };
        case 'bool':
          return { t: 'schema', schema: jobj({ type: 'boolean' }) };
        case 'Any':
          return { t: 'schema', schema: jobj({}) };
        case 'dict':
        case 'Dict':
          return { t: 'dict', value: undefined };
        case 'list':
        case 'List':
          return { t: 'list', item: undefined };
        default:
          return this.fail(mod, e.at, `unsupported type ${name}`);
      }
    }
    if (e.k === 'subscript') {
      const name = dottedName(e.value);
      if (name === undefined) return this.fail(mod, e.at, 'unsupported subscripted type');
      const r = this.resolve(mod, name, e.at);
      if (r.kind !== 'builtin') return this.fail(mod, e.at, `unsupported generic ${name}[...]`);
      const args = e.items;
      const arity = (n: number): void => {
        if (args.length !== n) this.fail(mod, e.at, `${name}[...] takes ${n} argument${n === 1 ? '' : 's'}`);
      };
      switch (r.name) {
        case 'List':
        case 'list':
          arity(1);
          return { t: 'list', item: this.type(mod, args[0] as PyExpr) };
        case 'Dict':
        case 'dict': {
          arity(2);
          const key = this.type(mod, args[0] as PyExpr);
          if (!(key.t === 'schema' && key.schema.get('type') === 'string' && key.schema.entries.length === 1)) this.fail(mod, e.at, `only str dictionary keys are supported`);
          return { t: 'dict', value: this.type(mod, args[1] as PyExpr) };
        }
        case 'Optional':
          arity(1);
          return union([this.type(mod, args[0] as PyExpr), { t: 'none' }]);
        case 'Union':
          return union(args.map((a) => this.type(mod, a)));
        case 'Literal':
          return {
            t: 'literal',
            values: args.map((a) => {
              if (a.k !== 'const' || (a.value !== null && typeof a.value === 'object')) return this.fail(mod, a.at, 'Literal values must be constants');
              return jsonOfPy(a.value);
            }),
          };
        case 'Annotated': {
          if (args.length < 2) this.fail(mod, e.at, 'Annotated[...] needs a type and metadata');
          let field: FieldInfo = {};
          for (const meta of args.slice(1)) field = { ...field, ...this.fieldCall(mod, meta) };
          return { t: 'annotated', inner: this.type(mod, args[0] as PyExpr), field };
        }
        default:
          return this.fail(mod, e.at, `unsupported generic ${name}[...]`);
      }
    }
    return this.fail(mod, e.at, 'unsupported type annotation');
  }

  /** `Any` (an unannotated parameter). */
  anyType(): PyType {
    return { t: 'schema', schema: jobj({}) };
  }

  /** `Field(default?, description=...)` → field info; anything else is an error. */
  fieldCall(mod: PyModule, e: PyExpr): FieldInfo {
    if (e.k !== 'call' || dottedName(e.func) === undefined) return this.fail(mod, e.at, 'expected Field(...)');
    const r = this.resolve(mod, dottedName(e.func) as string, e.at);
    if (r.kind !== 'builtin' || r.name !== 'Field') return this.fail(mod, e.at, `expected Field(...), found ${dottedName(e.func)}(...)`);
    const out: FieldInfo = {};
    if (e.args.length > 1) this.fail(mod, e.at, 'Field() takes at most one positional argument');
    const def = e.args[0] ?? e.kwargs.find(([k]) => k === 'default')?.[1];
    if (def !== undefined && def.k !== 'ellipsis') out.default = this.constant(mod, def);
    for (const [k, v] of e.kwargs) {
      if (k === 'default') continue;
      if (k !== 'description') this.fail(mod, v.at, `Field(${k}=...) is not supported`);
      if (v.k === 'const' && v.value === null) continue;
      if (v.k !== 'const' || typeof v.value !== 'string') this.fail(mod, v.at, 'Field(description=...) must be a string');
      out.description = v.value as string;
    }
    return out;
  }

  /** A constant expression (a default value) as JSON. */
  constant(mod: PyModule, e: PyExpr): Json {
    if (e.k === 'const') return jsonOfPy(e.value);
    if (e.k === 'list' || e.k === 'tuple') return e.items.map((x) => this.constant(mod, x));
    if (e.k === 'dict') {
      return new JsonObject(
        e.entries.map(([k, v]) => {
          if (k.k !== 'const' || typeof k.value !== 'string') return this.fail(mod, k.at, 'only string dictionary keys are supported in defaults');
          return [k.value, this.constant(mod, v)];
        }),
      );
    }
    return this.fail(mod, e.at, 'default values must be constants');
  }

  classType(cls: PyClass, mod: PyModule): PyType {
    if (!this.isModel(cls, mod)) this.fail(mod, cls.at, `class ${cls.name} is not a pydantic BaseModel subclass this reader supports (bases must be BaseModel or such subclasses)`);
    return { t: 'model', cls, mod };
  }

  isModel(cls: PyClass, mod: PyModule, depth = 0): boolean {
    if (depth > 20 || cls.bases.length !== 1) return false;
    const base = cls.bases[0] as PyExpr;
    const name = dottedName(base);
    if (name === undefined) return false;
    const r = this.resolve(mod, name, base.at);
    if (r.kind === 'builtin') return r.name === 'BaseModel';
    if (r.kind === 'class') return this.isModel(r.cls, r.mod, depth + 1);
    return false;
  }

  /** A model's fields (parents first; an override keeps its parent's position). */
  modelFields(cls: PyClass, mod: PyModule): Array<{ name: string; type: PyType; field: FieldInfo; mod: PyModule }> {
    const base = cls.bases[0] as PyExpr;
    const r = this.resolve(mod, dottedName(base) as string, base.at);
    const fields = r.kind === 'class' ? this.modelFields(r.cls, r.mod) : [];
    if (cls.assigns.includes('model_config') || cls.fields.some((f) => f.name === 'model_config')) this.fail(mod, cls.at, `${cls.name}: model_config is not supported`);
    for (const f of cls.fields) {
      let type = this.type(mod, mod.expr(f.annotation));
      let field: FieldInfo = {};
      if (type.t === 'annotated') {
        field = type.field;
        type = type.inner;
      }
      if (f.value !== undefined) {
        const v = mod.expr(f.value);
        const isField = v.k === 'call' && dottedName(v.func) !== undefined && (() => {
          const rr = this.resolve(mod, dottedName(v.func) as string, v.at);
          return rr.kind === 'builtin' && rr.name === 'Field';
        })();
        if (isField) field = { ...field, ...this.fieldCall(mod, v) };
        else field = { ...field, default: this.constant(mod, v) };
      }
      const entry = { name: f.name, type, field, mod };
      const i = fields.findIndex((x) => x.name === f.name);
      if (i >= 0) fields[i] = entry;
      else fields.push(entry);
    }
    return fields;
  }

  /** A `$ref` to a model, adding it (and what it references) to {@link defs}. */
  modelRef(cls: PyClass, mod: PyModule): JsonObject {
    const seen = this.#defOrigin.get(cls.name);
    if (seen !== undefined && seen !== cls) this.fail(mod, cls.at, `two different models named ${cls.name}`);
    if (seen === undefined) {
      this.#defOrigin.set(cls.name, cls);
      this.defs.set(cls.name, jobj({})); // placeholder for recursion
      const schema = this.objectSchema(
        cls.name,
        this.modelFields(cls, mod),
        cls.docstring === undefined ? undefined : cleandoc(cls.docstring),
      );
      this.defs.set(cls.name, schema);
    }
    return jobj({ $ref: `#/$defs/${cls.name}` });
  }

  /** The schema of a type (no field metadata). */
  schema(type: PyType): JsonObject {
    switch (type.t) {
      case 'schema':
        return new JsonObject(type.schema.entries.map(([k, v]) => [k, v]));
      case 'none':
        return jobj({ type: 'null' });
      case 'list':
        return jobj({ items: type.item === undefined ? jobj({}) : this.schema(type.item), type: 'array' });
      case 'dict':
        return jobj({ additionalProperties: type.value === undefined || (type.value.t === 'schema' && type.value.schema.entries.length === 0) ? true : this.schema(type.value), type: 'object' });
      case 'union':
        return jobj({ anyOf: type.options.map((o) => this.schema(o)) });
      case 'literal': {
        const kinds = new Set(type.values.map(jsonType));
        const out = type.values.length === 1 ? jobj({ const: type.values[0] as Json }) : jobj({ enum: type.values });
        if (kinds.size === 1) {
          const only = [...kinds][0] as string;
          if (only !== 'unknown') out.set('type', only);
        }
        return out;
      }
      case 'model':
        return this.modelRef(type.cls, type.mod);
      case 'annotated': {
        const s = this.schema(type.inner);
        if (type.field.description !== undefined) s.set('description', type.field.description);
        return s;
      }
    }
  }

  /** A field's schema: the type's, plus title (unless a model), description and default. */
  fieldSchema(name: string, type: PyType, field: FieldInfo): JsonObject {
    const s = this.schema(type);
    const isModel = type.t === 'model' || (type.t === 'union' && type.options.length === 2 && type.options.some((o) => o.t === 'model') && type.options.some((o) => o.t === 'none'));
    if (!isModel) s.set('title', fieldTitle(name));
    if (field.description !== undefined) s.set('description', field.description);
    if (field.default !== undefined) s.set('default', field.default);
    return s;
  }

  /** An object schema from fields (pydantic's model schema, before sorting). */
  objectSchema(title: string, fields: ReadonlyArray<{ name: string; type: PyType; field: FieldInfo }>, description?: string): JsonObject {
    const props = new JsonObject(fields.map((f) => [f.name, this.fieldSchema(f.name, f.type, f.field)]));
    const out = jobj({ properties: props });
    const required = fields.filter((f) => f.field.default === undefined).map((f) => f.name);
    if (required.length > 0) out.set('required', required);
    out.set('title', title);
    out.set('type', 'object');
    if (description !== undefined) out.set('description', description);
    return out;
  }

  /** The top-level schema of a model built from fields (`create_model(title, ...)`), `$defs` included, sorted. */
  topLevel(title: string, fields: ReadonlyArray<{ name: string; type: PyType; field: FieldInfo }>): JsonObject {
    const out = this.objectSchema(title, fields);
    const used = this.referencedDefs(out);
    if (used.size > 0) out.set('$defs', new JsonObject([...used].map((n) => [n, this.defs.get(n) as JsonObject])));
    return sortSchema(out) as JsonObject;
  }

  /** Names of every `$defs` entry reachable from a schema. */
  referencedDefs(schema: Json, acc = new Set<string>()): Set<string> {
    if (schema instanceof JsonObject) {
      for (const [k, v] of schema.entries) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
          const name = v.slice('#/$defs/'.length);
          if (!acc.has(name)) {
            acc.add(name);
            const def = this.defs.get(name);
            if (def !== undefined) this.referencedDefs(def, acc);
          }
        } else this.referencedDefs(v, acc);
      }
    } else if (Array.isArray(schema)) for (const x of schema) this.referencedDefs(x, acc);
    return acc;
  }

}

/** The resolved type of an annotation (opaque outside this module). */
export type ResolvedType = PyType;

function union(options: PyType[]): PyType {
  const flat = options.flatMap((o) => (o.t === 'union' ? o.options : [o]));
  return flat.length === 1 ? (flat[0] as PyType) : { t: 'union', options: flat };
}

function jsonType(v: Json): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (v === null) return 'null';
  return 'unknown';
}
