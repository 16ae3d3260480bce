import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PyObject } from '../../../src/core/py/py-value.js';
import { tablesText, writeTablesDir } from '../../retail/generator/files.js';
import { validateAirlineTables } from '../builtin.js';
import { loadAirlineDb } from '../data.js';
import { AIRPORTS, RESERVED_IDS, generateAirlineTables } from './data.js';
import { EXTRA_BAG_PRICE, INSURANCE_PRICE, NOW, TODAY, nonfreeBags, type Cabin, type Tier } from './rules.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const tables = generateAirlineTables();
const flights = new Map(tables.flights);
const users = new Map(tables.users);

describe('airline data generator', () => {
  it('gives byte-identical data for the same seed and scale, and pins the default data', () => {
    const text = tablesText(tables);
    expect(tablesText(generateAirlineTables({ seed: 20240515, scale: 1 }))).toBe(text);
    // Golden hash of the default built-in data: update deliberately when the generator changes.
    expect(sha(text)).toBe('47698d6b2ff7edf90ce0f3f5a522b0271b68ff08eb0ad12d1a5922f23ed1447e');
    expect(tablesText(generateAirlineTables({ seed: 7 }))).not.toBe(text);
  });

  it('scales the number of members and reservations', () => {
    const small = generateAirlineTables({ scale: 0.3 });
    const big = generateAirlineTables({ scale: 2 });
    expect(small.users.length).toBe(30);
    expect(big.users.length).toBe(200);
    expect(big.reservations.length).toBeGreaterThan(2 * small.reservations.length);
    expect(() => generateAirlineTables({ scale: 0 })).toThrow(RangeError);
  });

  it('passes the airline record schemas and loads back from a v1 directory', () => {
    expect(() => validateAirlineTables(tables, 'generated')).not.toThrow();
    const dir = mkdtempSync(join(tmpdir(), 'airline-gen-'));
    try {
      writeTablesDir(dir, tables);
      const loaded = loadAirlineDb(dir);
      expect(loaded.format).toBe('tau-v1');
      expect([...loaded.base.tables.get('flights')!.keys()]).toEqual(tables.flights.map(([id]) => id));
      expect(readFileSync(join(dir, 'users.json'), 'utf8').startsWith('{"')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses only the 20 airports and dated status records around "now"', () => {
    const codes = new Set(AIRPORTS.map((a) => a.code));
    const statuses = new Set<string>();
    for (const [, f] of tables.flights) {
      expect(codes.has(f.origin as string) && codes.has(f.destination as string)).toBe(true);
      for (const [date, rec] of Object.entries(f.dates as PyObject)) {
        const s = (rec as PyObject).status as string;
        statuses.add(s);
        if (date < TODAY) expect(['landed', 'cancelled']).toContain(s);
        else if (date > TODAY) expect(['available', 'cancelled']).toContain(s);
        else expect(['landed', 'flying', 'on time', 'delayed', 'cancelled']).toContain(s);
      }
    }
    expect([...statuses].sort()).toEqual(['available', 'cancelled', 'delayed', 'flying', 'landed', 'on time']);
  });

  it('makes reservations consistent with flights, bag allowances and prices', () => {
    const seen = { cabins: new Set<string>(), types: new Set<string>(), insurance: new Set<string>(), tiers: new Set<string>(), recent: 0 };
    for (const [rid, r] of tables.reservations) {
      expect(RESERVED_IDS).not.toContain(rid);
      const u = users.get(r.user_id as string) as PyObject;
      expect(u.reservations as string[]).toContain(rid);
      const pax = (r.passengers as PyObject[]).length;
      expect(pax).toBeGreaterThanOrEqual(1);
      expect(pax).toBeLessThanOrEqual(5);
      for (const fl of r.flights as PyObject[]) {
        const f = flights.get(fl.flight_number as string) as PyObject;
        expect(f.origin).toBe(fl.origin);
        expect(f.destination).toBe(fl.destination);
        expect(Object.keys(f.dates as PyObject)).toContain(fl.date);
      }
      expect(r.nonfree_baggages).toBe(nonfreeBags(u.membership as Tier, r.cabin as Cabin, pax, r.total_baggages as number));
      const fares = (r.flights as PyObject[]).reduce((s, f) => s + (f.price as number) * pax, 0);
      const total = fares + (r.insurance === 'yes' ? INSURANCE_PRICE * pax : 0) + EXTRA_BAG_PRICE * (r.nonfree_baggages as number);
      const payments = (r.payment_history as PyObject[]).map((p) => p.amount as number);
      expect(payments.filter((a) => a > 0).reduce((s, a) => s + a, 0)).toBe(total);
      if (r.status === 'cancelled') expect(payments.reduce((s, a) => s + a, 0)).toBe(0);
      expect((r.created_at as string) <= NOW).toBe(true);
      expect((r.created_at as string) < `${(r.flights as PyObject[])[0]?.date as string}T23:59:59`).toBe(true);
      seen.cabins.add(r.cabin as string);
      seen.types.add(r.flight_type as string);
      seen.insurance.add(r.insurance as string);
      seen.tiers.add(u.membership as string);
      if ((r.created_at as string) > '2024-05-14T15:00:00') seen.recent++;
    }
    expect([...seen.cabins].sort()).toEqual(['basic_economy', 'business', 'economy']);
    expect([...seen.types].sort()).toEqual(['one_way', 'round_trip']);
    expect([...seen.insurance].sort()).toEqual(['no', 'yes']);
    expect([...seen.tiers].sort()).toEqual(['gold', 'regular', 'silver']);
    expect(seen.recent).toBeGreaterThan(0);
  });

  it('gives members credit cards, gift cards and certificates with their own ids', () => {
    const sources = new Set<string>();
    for (const [, u] of tables.users) {
      for (const [id, pm] of Object.entries(u.payment_methods as PyObject)) {
        expect((pm as PyObject).id).toBe(id);
        expect(id.startsWith(`${(pm as PyObject).source as string}_`)).toBe(true);
        expect(RESERVED_IDS).not.toContain(id);
        sources.add((pm as PyObject).source as string);
      }
    }
    expect([...sources].sort()).toEqual(['certificate', 'credit_card', 'gift_card']);
  });
});
