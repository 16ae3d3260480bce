/**
 * τ²'s agent tool schemas, built from a τ² checkout's `src/tau2/domains/<domain>/tools.py` the
 * way τ² builds them at run time, without Python:
 *
 * - `ToolKitType` (src/tau2/environment/toolkit.py) collects the toolkit class's methods marked
 *   by `@is_tool(...)` in definition order; `ToolKitBase.get_tools()` wraps each with `as_tool`,
 *   leaving out `@is_discoverable_tool` ones.
 * - `Tool.parse_data` (src/tau2/environment/tool.py) reads the docstring with
 *   `docstring_parser.parse` (src/core/py/py-docstring.ts) and the signature (`self` excluded):
 *   each parameter becomes a pydantic field `(annotation, Field(default, description=<Args
 *   entry>))` (no `Field` when the docstring does not document it; `Any` when unannotated), and
 *   `create_model("parameters", ...)` gives the parameters schema (src/prompts/tau2-pydantic.ts).
 * - `Tool.openai_schema` is `{"type": "function", "function": {name, description, parameters:
 *   params.model_json_schema()}}`, where the description is the short description, plus a blank
 *   line and the long description when there is one (`_get_description`; the name when empty).
 *
 * Shapes this reader does not know (no toolkit class, string annotations, `*args`, an
 * unsupported type or docstring) are {@link DataError}s naming the file and line.
 */
import { join } from 'node:path';
import { DataError } from '../core/errors.js';
import { DocstringShapeError, parseGoogleDocstring } from '../core/py/py-docstring.js';
import { dottedName, type PyExpr } from '../core/py/py-expr.js';
import type { PyClass, PyFunction, PyModule } from '../core/py/py-source.js';
import { PyModules, SchemaBuilder, jobj, jsonText, type FieldInfo, type JsonObject, type ResolvedType } from './tau2-pydantic.js';

/** One tool as τ²'s `Tool.openai_schema` gives it (ordered JSON). */
export interface Tau2ToolSchema {
  name: string;
  /** `{"type":"function","function":{"name","description","parameters"}}`. */
  schema: JsonObject;
}

/** Path of a domain's toolkit source in a τ² checkout. */
export function tau2ToolsFile(checkoutDir: string, domain: string): string {
  return join(checkoutDir, 'src', 'tau2', 'domains', domain, 'tools.py');
}

function decoratorName(d: PyExpr): string | undefined {
  return dottedName(d.k === 'call' ? d.func : d);
}

/** The toolkit class of a tools module: the one class deriving from `ToolKitBase`. */
function toolkitClass(mod: PyModule): PyClass {
  const kits = [...mod.classes.values()].filter((c) =>
    c.bases.some((b) => {
      const name = dottedName(b);
      if (name === undefined) return false;
      const imp = mod.imports.get(name);
      return name === 'ToolKitBase' || imp?.name === 'ToolKitBase';
    }),
  );
  if (kits.length !== 1) {
    throw new DataError(`${mod.src.source}: expected exactly one class deriving from ToolKitBase, found ${kits.length === 0 ? 'none' : kits.map((k) => k.name).join(', ')}`, {
      path: mod.src.source,
    });
  }
  return kits[0] as PyClass;
}

/** The `@is_tool` methods of a toolkit class, in τ²'s order (definition order; a redefinition keeps the first position). */
export function toolMethods(cls: PyClass): PyFunction[] {
  const byName = new Map<string, PyFunction>();
  for (const m of cls.methods) byName.set(m.name, m);
  return [...byName.values()].filter((m) => {
    const names = m.decorators.map(decoratorName);
    return names.includes('is_tool') && !names.includes('is_discoverable_tool');
  });
}

/** τ²'s `Tool._get_description()`. */
function toolDescription(name: string, short: string | null, long: string | null): string {
  if (short === null || short === '') return name;
  if (long === null || long === '') return short;
  return `${short}\n\n${long}`;
}

/** One tool's OpenAI schema from its method definition. */
function toolSchema(fn: PyFunction, mod: PyModule, builder: SchemaBuilder): Tau2ToolSchema {
  let doc;
  try {
    doc = parseGoogleDocstring(fn.docstring ?? '');
  } catch (e) {
    if (e instanceof DocstringShapeError) mod.src.fail(`docstring of ${fn.name}: ${e.message}`, fn.at);
    throw e;
  }
  const docParams = new Map(doc.params.map((p) => [p.argName, p]));
  const params = fn.params.slice(1); // bound method: `self` is not part of the signature
  if (fn.params[0]?.name !== 'self') mod.src.fail(`tool ${fn.name}: expected an instance method (first parameter self)`, fn.at);
  const fields: Array<{ name: string; type: ResolvedType; field: FieldInfo }> = params.map((p) => {
    if (p.kind !== 'normal') mod.src.fail(`tool ${fn.name}: *args/**kwargs parameters are not supported`, p.at);
    const documented = docParams.get(p.name);
    if (p.annotation === undefined && documented?.typeName != null) mod.src.fail(`tool ${fn.name}: parameter ${p.name} takes its type from the docstring ("${documented.typeName}"), which is not supported`, p.at);
    const type = p.annotation === undefined ? builder.anyType() : builder.type(mod, p.annotation);
    const field: FieldInfo = {};
    if (p.default !== undefined) field.default = builder.constant(mod, p.default);
    if (documented !== undefined) field.description = documented.description;
    if (type.t === 'annotated') return { name: p.name, type: type.inner, field: { ...type.field, ...field } };
    return { name: p.name, type, field };
  });
  const parameters = builder.topLevel('parameters', fields);
  const schema = jobj({
    type: 'function',
    function: jobj({ name: fn.name, description: toolDescription(fn.name, doc.shortDescription, doc.longDescription), parameters }),
  });
  return { name: fn.name, schema };
}

/**
 * The agent tools of a τ² domain, as τ²'s `Environment.get_tools()` → `Tool.openai_schema`
 * gives them, in order. Reads `<checkout>/src/tau2/domains/<domain>/tools.py` and the modules it
 * imports types from.
 * @throws DataError naming the file and line for anything this reader does not know.
 */
export function loadTau2Tools(checkoutDir: string, domain: string): Tau2ToolSchema[] {
  const modules = new PyModules(join(checkoutDir, 'src'));
  const file = tau2ToolsFile(checkoutDir, domain);
  const mod = modules.byFile(file);
  const cls = toolkitClass(mod);
  const tools = toolMethods(cls);
  if (tools.length === 0) throw new DataError(`${file}: class ${cls.name} has no @is_tool methods`, { path: file });
  // Each tool is its own pydantic model: `$defs` are per tool.
  return tools.map((fn) => toolSchema(fn, mod, new SchemaBuilder(modules)));
}

/** The tool list as compact JSON text (what a pack's `tools` element holds). */
export function tau2ToolsJson(tools: readonly Tau2ToolSchema[]): string {
  return jsonText(tools.map((t) => t.schema));
}
