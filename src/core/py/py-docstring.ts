/**
 * Python docstrings as the `docstring_parser` package (0.17–0.18, `parse()` in AUTO style) reads
 * Google-style ones: `inspect.cleandoc`, then a short description (first line), a long
 * description (the rest before the first section title), and `Args:` / `Returns:` / `Raises:` …
 * sections split on their items' indentation. AUTO style picks the parser yielding the most
 * items; this module only knows the Google layout, so docstrings with reST (`:param`), epydoc
 * (`@param`) or numpydoc (underlined titles) markers are refused rather than read differently.
 */

/** Python's `str.expandtabs()` (tab size 8) of one line. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const c of line) {
    if (c === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += c;
  }
  return out;
}

/** Characters Python's `str.strip()` / `lstrip()` remove (ASCII and Unicode whitespace). */
const PY_WS = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const LSTRIP = new RegExp(`^[${PY_WS}]+`);
const RSTRIP = new RegExp(`[${PY_WS}]+$`);

/** Python's `str.lstrip()`. */
export function pyLstrip(s: string): string {
  return s.replace(LSTRIP, '');
}

/** Python's `str.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(LSTRIP, '').replace(RSTRIP, '');
}

/** Python's `str.strip(chars)` with explicit characters. */
function stripChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a] as string)) a++;
  while (b > a && chars.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

/** Python's `inspect.cleandoc` (3.11/3.12 semantics). */
export function cleandoc(doc: string): string {
  const lines = doc.split('\n').map(expandTabs);
  let margin = Number.MAX_SAFE_INTEGER;
  for (const line of lines.slice(1)) {
    const content = pyLstrip(line).length;
    if (content > 0) margin = Math.min(margin, line.length - content);
  }
  if (lines.length > 0) lines[0] = pyLstrip(lines[0] as string);
  if (margin < Number.MAX_SAFE_INTEGER) for (let i = 1; i < lines.length; i++) lines[i] = (lines[i] as string).slice(margin);
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines.join('\n');
}

/** One `Args:` item. */
export interface DocParam {
  argName: string;
  /** `name (type): …` → `type`; else null. */
  typeName: string | null;
  description: string;
}

/** A parsed docstring (the parts τ²'s tool builder reads). */
export interface ParsedDocstring {
  shortDescription: string | null;
  longDescription: string | null;
  params: DocParam[];
  /** Number of section items of every kind (AUTO style compares these counts). */
  metaCount: number;
}

type SectionKind = 'param' | 'raises' | 'attribute' | 'examples' | 'returns' | 'yields';
type SectionType = 'single' | 'multiple' | 'single-or-multiple';
const SECTIONS: ReadonlyArray<readonly [string, SectionKind, SectionType]> = [
  ['Arguments', 'param', 'multiple'],
  ['Args', 'param', 'multiple'],
  ['Parameters', 'param', 'multiple'],
  ['Params', 'param', 'multiple'],
  ['Raises', 'raises', 'multiple'],
  ['Exceptions', 'raises', 'multiple'],
  ['Except', 'raises', 'multiple'],
  ['Attributes', 'attribute', 'multiple'],
  ['Example', 'examples', 'single'],
  ['Examples', 'examples', 'single'],
  ['Returns', 'returns', 'single-or-multiple'],
  ['Yields', 'yields', 'single-or-multiple'],
];
const SECTION_BY_TITLE = new Map(SECTIONS.map(([title, kind, type]) => [title, { kind, type }]));
const TITLES = new RegExp(`^(${SECTIONS.map(([t]) => `(${t})`).join('|')}):[ \\t\\r\\f\\v]*$`, 'gm');
const TYPED_ARG = /^\s*(.+?)\s*\(\s*(.*[^\s]+)\s*\)/;
const MULTIPLE = /^(?:(\s*[^:\s]+:)|([^:]*\]:.*))/s;

/** Thrown for a docstring this reader will not interpret (the caller names the file). */
export class DocstringShapeError extends Error {}

function buildParam(text: string): DocParam {
  const colon = text.indexOf(':');
  if (colon < 0) throw new DocstringShapeError(`expected a colon in ${JSON.stringify(text)}`);
  let before = text.slice(0, colon);
  let desc = text.slice(colon + 1);
  if (before.includes('\n')) {
    const nl = before.indexOf('\n');
    before = before.slice(0, nl) + cleandoc(before.slice(nl + 1));
  }
  if (desc !== '') {
    if (desc[0] === ' ') desc = desc.slice(1);
    const nl = desc.indexOf('\n');
    if (nl >= 0) desc = `${desc.slice(0, nl)}\n${cleandoc(desc.slice(nl + 1))}`;
    desc = stripChars(desc, '\n');
  }
  const m = TYPED_ARG.exec(before);
  if (m === null) return { argName: before, typeName: null, description: desc };
  let typeName = m[2] as string;
  if (typeName.endsWith(', optional')) typeName = typeName.slice(0, -10);
  else if (typeName.endsWith('?')) typeName = typeName.slice(0, -1);
  return { argName: m[1] as string, typeName, description: desc };
}

/**
 * Parses a docstring (the raw `__doc__`) the way `docstring_parser.parse` does for Google style.
 * @throws DocstringShapeError for reST/epydoc/numpydoc markers or a malformed section.
 */
export function parseGoogleDocstring(raw: string): ParsedDocstring {
  const out: ParsedDocstring = { shortDescription: null, longDescription: null, params: [], metaCount: 0 };
  if (raw === '') return out;
  const text = cleandoc(raw);
  if (/^:/m.test(text)) throw new DocstringShapeError('a line starts with ":" (reST field list): the docstring parser may read it as reST');
  if (/^\s*@\w/m.test(text)) throw new DocstringShapeError('a line starts with "@" (epydoc field): the docstring parser may read it as epydoc');
  if (/^\s*-{3,}\s*$/m.test(text)) throw new DocstringShapeError('an underlined title (numpydoc section): the docstring parser may read it as numpydoc');

  const first = new RegExp(TITLES.source, 'm').exec(text);
  const descChunk = first === null ? text : text.slice(0, first.index);
  const metaChunk = first === null ? '' : text.slice(first.index);
  const nl = descChunk.indexOf('\n');
  out.shortDescription = (nl < 0 ? descChunk : descChunk.slice(0, nl)) || null;
  if (nl >= 0) out.longDescription = pyStrip(descChunk.slice(nl + 1)) || null;

  const matches = [...metaChunk.matchAll(TITLES)];
  if (matches.length === 0) return out;
  const chunks = new Map<string, string>();
  matches.forEach((m, j) => {
    const start = (m.index as number) + m[0].length;
    const end = j + 1 < matches.length ? ((matches[j + 1] as RegExpMatchArray).index as number) : metaChunk.length;
    let details = metaChunk.slice(start, end);
    // Text back at column 0 ends the section (docstring_parser drops it).
    const unknown = /\n\S/.exec(details);
    if (unknown !== null) details = details.slice(0, unknown.index);
    chunks.set(m[1] as string, stripChars(details, '\n'));
  });
  for (const [title, chunk] of chunks) {
    const section = SECTION_BY_TITLE.get(title) as { kind: SectionKind; type: SectionType };
    const indent = (/^\s*/.exec(chunk) as RegExpExecArray)[0];
    if (section.type !== 'multiple') {
      const part = cleandoc(chunk);
      if (section.type === 'single-or-multiple' && MULTIPLE.test(part)) {
        if (!part.includes(':')) throw new DocstringShapeError(`expected a colon in ${JSON.stringify(part)}`);
      } else if (section.kind === 'param') throw new DocstringShapeError('expected a parameter name');
      out.metaCount++;
      continue;
    }
    const itemStart = new RegExp(`^${indent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\S)`, 'gm');
    const starts = [...chunk.matchAll(itemStart)].map((m) => (m.index as number) + m[0].length);
    if (starts.length === 0) throw new DocstringShapeError(`no specification for "${title}"`);
    starts.forEach((s, j) => {
      const end = j + 1 < starts.length ? (starts[j + 1] as number) - indent.length : chunk.length;
      const part = stripChars(chunk.slice(s, end), '\n');
      if (!part.includes(':')) throw new DocstringShapeError(`expected a colon in ${JSON.stringify(part)}`);
      if (section.kind === 'param') out.params.push(buildParam(part));
      out.metaCount++;
    });
  }
  return out;
}
