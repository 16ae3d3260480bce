/**
 * τ²'s pydantic view of retail records. τ² loads `db.json` into pydantic models and answers with
 * `json.dumps(model.model_dump())`, so records and outputs follow the MODEL's field order and
 * types, not the file's: users start with `user_id`, addresses read `address1, address2, city,
 * country, state, zip`, payment methods `source, id, …`, prices, amounts and gift-card balances
 * are floats, and orders always carry the optional fields (`null` until set).
 * The τ² tools keep their database in this form ({@link toTau2Record} at load time), so that
 * their outputs are plain `pyDumps(record)`.
 */
import { PyFloat } from '../../src/core/py/py-float.js';
import { isPyObject, orderedKeys, pyObject, type PyObject, type PyValue } from '../../src/core/py/py-value.js';
import type { RetailTable } from './schema.js';

/** Pydantic `float` field: an int becomes a float; anything else is kept. */
export function asFloat(v: PyValue): PyValue {
  return typeof v === 'number' ? new PyFloat(v) : v;
}

function field(rec: Readonly<PyObject>, key: string): PyValue {
  const v = Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
  return v === undefined ? null : v;
}

const obj = (v: PyValue): Readonly<PyObject> => (isPyObject(v) ? v : {});
const list = (v: PyValue): readonly PyValue[] => (Array.isArray(v) ? v : []);
/** A `Dict[str, X]` field: same keys and order, values converted. */
const mapValues = (v: PyValue, f: (x: Readonly<PyObject>) => PyObject): PyObject => {
  const o = obj(v);
  return pyObject(orderedKeys(o).map((k) => [k, f(obj(o[k] as PyValue))] as const));
};
/** A `Dict[str, str]` / `List[str]` field: a copy with the same order. */
const copy = (v: PyValue): PyValue => (isPyObject(v) ? pyObject(orderedKeys(v).map((k) => [k, v[k] as PyValue] as const)) : Array.isArray(v) ? [...v] : v);

/** `UserAddress` model: address1, address2, city, country, state, zip. */
export function addressModel(a: Readonly<PyObject>): PyObject {
  return pyObject(['address1', 'address2', 'city', 'country', 'state', 'zip'].map((k) => [k, field(a, k)] as const));
}

/** `CreditCard` / `GiftCard` / `Paypal` model: source, id, then brand, last_four or balance. */
export function paymentMethodModel(p: Readonly<PyObject>): PyObject {
  const entries: Array<[string, PyValue]> = [
    ['source', field(p, 'source')],
    ['id', field(p, 'id')],
  ];
  if (p.source === 'credit_card') entries.push(['brand', field(p, 'brand')], ['last_four', field(p, 'last_four')]);
  else if (p.source === 'gift_card') entries.push(['balance', asFloat(field(p, 'balance'))]);
  return pyObject(entries);
}

/** `User` model. `id` fills `user_id` when the record lacks it (v1 files). */
export function userModel(id: string, u: Readonly<PyObject>): PyObject {
  const name = obj(field(u, 'name'));
  return pyObject([
    ['user_id', typeof u.user_id === 'string' ? u.user_id : id],
    ['name', pyObject([['first_name', field(name, 'first_name')], ['last_name', field(name, 'last_name')]])],
    ['address', addressModel(obj(field(u, 'address')))],
    ['email', field(u, 'email')],
    ['payment_methods', mapValues(field(u, 'payment_methods'), paymentMethodModel)],
    ['orders', copy(field(u, 'orders'))],
  ]);
}

/** `Variant` model: item_id, options, available, price (float). */
export function variantModel(v: Readonly<PyObject>): PyObject {
  return pyObject([
    ['item_id', field(v, 'item_id')],
    ['options', copy(field(v, 'options'))],
    ['available', field(v, 'available')],
    ['price', asFloat(field(v, 'price'))],
  ]);
}

/** `Product` model: name, product_id, variants. */
export function productModel(p: Readonly<PyObject>): PyObject {
  return pyObject([
    ['name', field(p, 'name')],
    ['product_id', field(p, 'product_id')],
    ['variants', mapValues(field(p, 'variants'), variantModel)],
  ]);
}

/** `OrderPayment` model: transaction_type, amount (float), payment_method_id. */
export function orderPaymentModel(type: PyValue, amount: PyValue, paymentMethodId: PyValue): PyObject {
  return pyObject([
    ['transaction_type', type],
    ['amount', asFloat(amount)],
    ['payment_method_id', paymentMethodId],
  ]);
}

/** Optional fields of `Order`, in model order (all default to `null`). */
export const ORDER_OPTIONAL_FIELDS = [
  'cancel_reason',
  'exchange_items',
  'exchange_new_items',
  'exchange_payment_method_id',
  'exchange_price_difference',
  'return_items',
  'return_payment_method_id',
] as const;

/** `Order` model, every optional field present. */
export function orderModel(o: Readonly<PyObject>): PyObject {
  const items = list(field(o, 'items')).map((x) => {
    const it = obj(x);
    return pyObject([
      ['name', field(it, 'name')],
      ['product_id', field(it, 'product_id')],
      ['item_id', field(it, 'item_id')],
      ['price', asFloat(field(it, 'price'))],
      ['options', copy(field(it, 'options'))],
    ]);
  });
  const fulfillments = list(field(o, 'fulfillments')).map((x) => {
    const f = obj(x);
    return pyObject([
      ['tracking_id', copy(field(f, 'tracking_id'))],
      ['item_ids', copy(field(f, 'item_ids'))],
    ]);
  });
  const payments = list(field(o, 'payment_history')).map((x) => {
    const p = obj(x);
    return orderPaymentModel(field(p, 'transaction_type'), field(p, 'amount'), field(p, 'payment_method_id'));
  });
  const entries: Array<[string, PyValue]> = [
    ['order_id', field(o, 'order_id')],
    ['user_id', field(o, 'user_id')],
    ['address', addressModel(obj(field(o, 'address')))],
    ['items', items],
    ['status', field(o, 'status')],
    ['fulfillments', fulfillments],
    ['payment_history', payments],
  ];
  for (const k of ORDER_OPTIONAL_FIELDS) {
    const v = field(o, k);
    entries.push([k, k === 'exchange_price_difference' ? asFloat(v) : copy(v)]);
  }
  return pyObject(entries);
}

/** A record of `table` in τ² model form (a new object; the input is not changed). */
export function toTau2Record(table: RetailTable, id: string, rec: Readonly<PyObject>): PyObject {
  switch (table) {
    case 'orders':
      return orderModel(rec);
    case 'products':
      return productModel(rec);
    case 'users':
      return userModel(id, rec);
  }
}
