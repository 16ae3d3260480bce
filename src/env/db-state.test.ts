import { describe, expect, it } from 'vitest';
import { jcsSha256 } from '../core/py/jcs.js';
import { pyFloat } from '../core/py/py-float.js';
import { BaseDb, type DbState } from './db-state.js';

const base = (): BaseDb =>
  new BaseDb([
    ['b_table', [['10', { v: 1 }], ['2', { v: pyFloat(2.5) }], ['x', { v: 'é' }]]],
    ['a_table', [['k1', { n: [1, 2] }], ['k0', { n: [] }]]],
    ['c_table', [['only', { z: null }]]],
  ]);

const check = (db: DbState): void => {
  expect(db.jcsSha256()).toBe(jcsSha256(db.toValue()));
};

describe('DbState', () => {
  it('jcsSha256 equals the JCS sha256 of the whole database after edits, inserts and deletes in any table', () => {
    const b0 = base();
    const fresh = b0.fork();
    check(fresh);
    expect(fresh.jcsSha256()).toBe(b0.fork().jcsSha256());
    const a = b0.fork();
    (a.table('b_table').mut('2') as { v: unknown }).v = 3;
    check(a);
    const b = b0.fork();
    b.table('c_table').set('new', { z: true });
    b.table('a_table').delete('k0');
    check(b);
    const c = b0.fork();
    c.table('a_table').set('k9', { n: [pyFloat(1)] });
    check(c);
    expect(new Set([fresh.jcsSha256(), a.jcsSha256(), b.jcsSha256(), c.jcsSha256()]).size).toBe(4);
  });

  it('keeps episodes apart: writes go to a copy, the frozen base is never changed', () => {
    const b0 = base();
    const one = b0.fork();
    const two = b0.fork();
    (one.table('a_table').mut('k1') as { n: unknown }).n = ['changed'];
    expect(two.table('a_table').get('k1')).toEqual({ n: [1, 2] });
    expect(() => {
      (two.table('a_table').get('k1') as { n: unknown }).n = 'oops';
    }).toThrow(TypeError);
    expect(one.firstDifference(two)).toBe('a_table/k1');
    expect(two.firstDifference(b0.fork())).toBeUndefined();
  });
});
