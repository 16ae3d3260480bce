import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test/shared-data.js';
import { parsePyJson, pyDumps } from '../../core/py/py-json.js';
import type { PyValue } from '../../core/py/py-value.js';
import { detectTaskSource, listSplits, loadTasks } from './source.js';
import { renderTasksPy } from './testing/render-py.js';
import { loadTaubenchPyTasks, loadV1TasksJson } from './v1.js';

// Reads ../shared (TAU_SHARED); fails, never skips, when the data is missing.
describe('official task files', () => {
  it('loads every v1 split with the reference counts', () => {
    const counts = (domain: string, split: string): number => loadTasks(domain, sharedPath('taubench'), split).length;
    expect([counts('retail', 'test'), counts('retail', 'train'), counts('retail', 'dev'), counts('airline', 'test')]).toEqual([115, 500, 20, 50]);
    expect(listSplits(detectTaskSource(sharedPath('taubench'), 'retail'))).toEqual(['dev', 'test', 'train']);
  });

  it('keeps gold kwargs as the file wrote them', () => {
    const t = loadTasks('retail', sharedPath('taubench', 'retail'), 'test')[0];
    expect(t?.userId).toBe('yusuf_rossi_9620');
    expect(t?.actions.map((a) => a.name)).toEqual(['find_user_id_by_name_zip', 'get_order_details', 'get_product_details', 'get_product_details', 'exchange_delivered_order_items']);
    expect(pyDumps(t?.actions[4]?.kwargs ?? null)).toBe(
      '{"order_id": "#W2378156", "item_ids": ["1151293680", "4983901480"], "new_item_ids": ["7706410293", "7747408585"], "payment_method_id": "credit_card_9513926"}',
    );
    const airline = loadTasks('airline', sharedPath('taubench'), 'test');
    expect(airline.filter((x) => x.outputs.length > 0).map((x) => [x.index, x.outputs])).toEqual([
      [2, ['23553']],
      [8, ['327', '1000', '1786']],
      [9, ['327', '1000', '1286']],
      [44, ['4']],
    ]);
  });

  it('loads τ² tasks and splits', () => {
    const n = (domain: string, split: string): number => loadTasks(domain, sharedPath('tau2'), split).length;
    expect([n('retail', 'base'), n('retail', 'train'), n('retail', 'test')]).toEqual([114, 74, 40]);
    expect([n('airline', 'base'), n('airline', 'train'), n('airline', 'test')]).toEqual([50, 30, 20]);
    const airline = loadTasks('airline', sharedPath('tau2', 'airline'), 'base');
    expect(airline.every((t) => t.userId !== undefined && /^[a-z]+_[a-z]+_\d+$/.test(t.userId))).toBe(true);
    expect(airline[0]?.userId).toBe('emma_kim_9957');
    expect(airline.every((t) => t.evaluation?.rewardBasis.join() === 'DB,COMMUNICATE')).toBe(true);
    const retail = loadTasks('retail', sharedPath('tau2', 'retail'), 'base');
    expect(retail.filter((t) => t.evaluation?.rewardBasis.join() === 'DB,NL_ASSERTION')).toHaveLength(112);
    expect(retail[0]?.instruction.startsWith('Instructions:\n\tDomain: retail\n\tReason for call:\n\t\tYou received your order #W2378156')).toBe(true);
  });
});

describe('tau-bench tasks_*.py rendering of the official tasks', () => {
  it.each([
    ['retail', 'test', 'TASKS_TEST'],
    ['retail', 'train', 'TASKS_TRAIN'],
    ['retail', 'dev', 'TASKS_DEV'],
    ['airline', 'test', 'TASKS'],
  ])('%s %s loads the same tasks from .py as from .json', (domain, split, listName) => {
    const jsonFile = sharedPath('taubench', domain, `tasks_${split}.json`);
    const dir = mkdtempSync(join(tmpdir(), 'taubp-py-'));
    const pyFile = join(dir, `tasks_${split}.py`);
    writeFileSync(pyFile, renderTasksPy(parsePyJson(readFileSync(jsonFile, 'utf8')) as PyValue[], listName));
    const fromPy = loadTaubenchPyTasks(pyFile, domain, split);
    const fromJson = loadV1TasksJson(jsonFile, domain, split);
    expect(fromPy).toEqual(fromJson);
    const dump = (ts: typeof fromPy): string => ts.map((t) => t.actions.map((a) => pyDumps(a.kwargs)).join('\n')).join('\n');
    expect(dump(fromPy)).toBe(dump(fromJson));
  });
});
