/**
 * Vega-Lite → Vega → SVG in Node, headless (no canvas, no browser). `vega` and `vega-lite` are
 * imported on the first call only, so commands that draw no chart never load them.
 */
import type { VlSpec } from './charts.js';

/**
 * Compiles each Vega-Lite spec and renders it to an SVG string (in order).
 * @throws Error naming the spec when Vega-Lite or Vega rejects it.
 */
export async function renderSvgs(specs: ReadonlyArray<{ name: string; spec: VlSpec }>): Promise<string[]> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const out: string[] = [];
  for (const { name, spec } of specs) {
    let view: InstanceType<typeof vega.View> | undefined;
    try {
      const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
      view = new vega.View(vega.parse(compiled), { renderer: 'none' });
      out.push(await view.toSVG());
    } catch (e) {
      throw new Error(`chart "${name}": ${(e as Error).message}`, { cause: e });
    } finally {
      view?.finalize();
    }
  }
  return out;
}
