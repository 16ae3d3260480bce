/**
 * The "bank" test domain: the toy registry (`get_balance`, `deposit`, `transfer_to_human_agents`)
 * over a hand-made v1 data folder (accounts.json, tasks_test.json, wiki.md), and a `taubp run`
 * I/O that offers it with a scripted customer, for tests that run the CLI in process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { capturedRunIo, type CapturedRunIo } from '../../../../test/quiet-run-io.js';
import { scriptedUser, toyGoldAgentModel, toyRegistry } from '../../../runner/testing/fixtures.js';
import { USERS } from '../../registry.js';
import type { RunIo } from '../run.js';
import { oneTableDomain } from './one-table-domain.js';

/** The bank domain: one table `accounts` (records with a numeric `balance`), the toy tools. */
export const bank = oneTableDomain({ name: 'bank', table: 'accounts', row: z.object({ balance: z.number() }), registry: toyRegistry() });

/** What {@link bankData} writes. */
export interface BankDataOptions {
  /** How many tasks; task i deposits i + 1 into A1 (default 4). */
  tasks?: number;
  /** The customer's instruction for a deposit of `amount` (default `Deposit <amount> into A1.`). */
  instruction?: (amount: number) => string;
  /** Files written instead of (or besides) the defaults: accounts A1 (10) and A2 (5), a two-line wiki.md. */
  files?: Record<string, string | Buffer>;
}

/** A fresh data folder for the bank domain (under the OS temp dir); returns its path. */
export function bankData(options: BankDataOptions = {}): string {
  const { tasks = 4, instruction = (amount: number) => `Deposit ${amount} into A1.`, files = {} } = options;
  const dir = mkdtempSync(join(tmpdir(), 'taubp-bank-data-'));
  const list = Array.from({ length: tasks }, (_, i) => ({
    user_id: `u${i}`,
    instruction: instruction(i + 1),
    actions: [{ name: 'deposit', kwargs: { account_id: 'A1', amount: i + 1 } }],
    outputs: [],
  }));
  const all: Record<string, string | Buffer> = {
    'accounts.json': '{"A1": {"id": "A1", "balance": 10}, "A2": {"id": "A2", "balance": 5}}',
    'wiki.md': '# Bank policy\nBe nice.',
    'tasks_test.json': JSON.stringify(list),
    ...files,
  };
  for (const [name, content] of Object.entries(all)) writeFileSync(join(dir, name), content);
  return dir;
}

/**
 * A captured run I/O offering the bank domain, the built-in users plus `scripted` (a customer who
 * asks for the deposit, then stops) and `createModel` (default: the toy gold agent for every role).
 */
export function bankRunIo(createModel: RunIo['createModel'] = () => toyGoldAgentModel(), parts: Pick<Partial<RunIo>, 'modelOptions'> = {}): CapturedRunIo {
  return capturedRunIo({ domains: { bank }, users: { ...USERS, scripted: scriptedUser('Hi, please make my deposit.', ['###STOP###']) }, createModel, ...parts });
}
