/** `list_all_product_types`: product names and ids, sorted by name. */
import { z } from 'zod';
import { pyDumps } from '../../../src/core/py/py-json.js';
import { pyObject } from '../../../src/core/py/py-value.js';
import type { DbState } from '../../../src/env/db-state.js';
import { defineTool } from '../../../src/env/tool.js';
import { compareCodePoints, item } from './common.js';

const schema = z.strictObject({});

/** `{name: product_id}` over all products (a repeated name keeps its first place, last id), sorted by name. */
function productTypes(db: DbState): string {
  const byName = new Map<string, string>();
  for (const product of db.table('products').values()) byName.set(item(product, 'name') as string, item(product, 'product_id') as string);
  const entries = [...byName].sort((a, b) => compareCodePoints(a[0], b[0]));
  return pyDumps(pyObject(entries));
}

const description =
  'List every product type the store sells (there are only about 50) as a mapping from product name to product id. Each product comes in several variants (items), each with its own item id and options.';

/** v1 `list_all_product_types`. */
export const listAllProductTypes = defineTool({
  name: 'list_all_product_types',
  description,
  schema,
  kind: 'read',
  invoke: (db) => productTypes(db),
});

/** τ² `list_all_product_types` (`json.dumps(..., sort_keys=True)`: the same text). */
export const listAllProductTypesTau2 = defineTool({
  name: 'list_all_product_types',
  description,
  schema,
  kind: 'read',
  invoke: (db) => productTypes(db),
});
