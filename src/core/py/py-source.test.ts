import { describe, expect, it } from 'vitest';
import { cleandoc, DocstringShapeError, parseGoogleDocstring } from './py-docstring.js';
import { dottedName } from './py-expr.js';
import { readPyModule } from './py-source.js';
import { PySourceError } from './py-tokens.js';

const MODULE = `"""Module doc."""
from typing import List, Optional
from pkg.models import (
    Thing,
    Other as Renamed,
)

Kind = Literal["a", "b"]  # a comment
TEXT = """
  multi {x}
""".strip()


class Base(BaseModel):
    """Base doc."""

    name: str = Field(description="The name")
    model_config = ConfigDict(extra="forbid")


class Kit(ToolKitBase):  # tools
    """Kit."""

    def __init__(self, db) -> None:
        super().__init__(db)

    @is_tool(ToolType.READ)
    def find(
        self,
        ids: List[str],
        kind: Kind | None = None,  # trailing comment
        limit: int = -1,
    ) -> dict[str, "Thing"]:
        """Find things.

        Args:
            ids: The ids.
        """
        if limit:
            return {}
        return {}

    def _private(self): pass

    @property
    def size(self) -> int:
        return 1
`;

describe('readPyModule', () => {
  const mod = readPyModule(MODULE, 'mod.py');

  it('reads imports (with aliases) and module-level assignments', () => {
    expect(mod.imports.get('Renamed')).toMatchObject({ module: 'pkg.models', name: 'Other' });
    expect(mod.imports.get('Optional')).toMatchObject({ module: 'typing', name: 'Optional' });
    const kind = mod.expr(mod.assigns.get('Kind') as { start: number; end: number });
    expect(kind).toMatchObject({ k: 'subscript', value: { k: 'name', id: 'Literal' }, items: [{ k: 'const', value: 'a' }, { k: 'const', value: 'b' }] });
    const text = mod.expr(mod.assigns.get('TEXT') as { start: number; end: number });
    expect(text).toMatchObject({ k: 'call', func: { k: 'attr', attr: 'strip', value: { k: 'const', value: '\n  multi {x}\n' } } });
  });

  it('reads classes: bases, docstring, annotated fields and plain assignments', () => {
    const base = mod.classes.get('Base');
    expect(base?.docstring).toBe('Base doc.');
    expect(base?.fields.map((f) => f.name)).toEqual(['name']);
    expect(base?.assigns).toEqual(['model_config']);
    expect(mod.expr(base?.fields[0]?.value as { start: number; end: number })).toMatchObject({ k: 'call', kwargs: [['description', { k: 'const', value: 'The name' }]] });
  });

  it('reads methods with decorators, annotated parameters, defaults and docstrings', () => {
    const kit = mod.classes.get('Kit');
    expect(kit?.methods.map((m) => m.name)).toEqual(['__init__', 'find', '_private', 'size']);
    const find = kit?.methods[1];
    expect(find?.decorators.map((d) => dottedName(d.k === 'call' ? d.func : d))).toEqual(['is_tool']);
    expect(find?.params.map((p) => p.name)).toEqual(['self', 'ids', 'kind', 'limit']);
    expect(find?.params[1]?.annotation).toMatchObject({ k: 'subscript', value: { id: 'List' }, items: [{ k: 'name', id: 'str' }] });
    expect(find?.params[2]?.annotation).toMatchObject({ k: 'union', left: { id: 'Kind' }, right: { k: 'const', value: null } });
    expect(find?.params[2]?.default).toMatchObject({ k: 'const', value: null });
    expect(find?.params[3]?.default).toMatchObject({ k: 'const', value: -1 });
    expect(find?.returns).toMatchObject({ k: 'subscript', items: [{ id: 'str' }, { k: 'const', value: 'Thing' }] });
    expect(find?.docstring).toBe('Find things.\n\n        Args:\n            ids: The ids.\n        ');
    expect(kit?.methods[3]?.decorators.map((d) => dottedName(d))).toEqual(['property']);
  });

  it('names the file, line and column of what it cannot read', () => {
    expect(() => readPyModule('x = "open\n', 'bad.py')).toThrow(PySourceError);
    expect(() => readPyModule('x = "open\n', 'bad.py')).toThrow(/bad\.py:1:5: unterminated string/);
    const m = readPyModule('y = lambda a: a\n', 'l.py');
    expect(() => m.expr(m.assigns.get('y') as { start: number; end: number })).toThrow(/l\.py:1:5: 'lambda' expressions are not supported/);
    expect(() => readPyModule('def f(a:\n', 'u.py')).toThrow(/u\.py/);
  });
});

describe('docstrings (docstring_parser, Google style)', () => {
  it('cleandoc strips the common indent, the first line and blank edges', () => {
    expect(cleandoc('\n    Title.\n\n      Body\n    end\n  ')).toBe('Title.\n\n  Body\nend');
    expect(cleandoc('First\n\tTabbed')).toBe('First\nTabbed');
  });

  it('splits short and long descriptions and reads Args with continuation lines', () => {
    const d = parseGoogleDocstring(`Short line.
        Long line one.
        Long line two.

        Args:
            a: First,
                continued here.
            b (int, optional): Second.

        Returns:
            str: The result.

        Raises:
            ValueError: If bad.
        `);
    expect(d.shortDescription).toBe('Short line.');
    expect(d.longDescription).toBe('Long line one.\nLong line two.');
    expect(d.params).toEqual([
      { argName: 'a', typeName: null, description: 'First,\ncontinued here.' },
      { argName: 'b', typeName: 'int', description: 'Second.' },
    ]);
    expect(d.metaCount).toBe(4);
  });

  it('ends a section at text back at the left margin', () => {
    const d = parseGoogleDocstring('S.\n\nArgs:\n    a: A.\nTrailing text.\n');
    expect(d.params).toEqual([{ argName: 'a', typeName: null, description: 'A.' }]);
  });

  it('has no description for an empty docstring and none long for a one-liner', () => {
    expect(parseGoogleDocstring('')).toEqual({ shortDescription: null, longDescription: null, params: [], metaCount: 0 });
    expect(parseGoogleDocstring('  Only.  ')).toMatchObject({ shortDescription: 'Only.  ', longDescription: null });
  });

  it('refuses other styles and malformed items', () => {
    expect(() => parseGoogleDocstring('S.\n\n:param a: x')).toThrow(DocstringShapeError);
    expect(() => parseGoogleDocstring('S.\n\n@param a: x')).toThrow(/epydoc/);
    expect(() => parseGoogleDocstring('S.\n\nParameters\n----------\na : int')).toThrow(/numpydoc/);
    expect(() => parseGoogleDocstring('S.\n\nArgs:\n    no colon here\n')).toThrow(/expected a colon/);
  });
});
