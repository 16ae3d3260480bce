/**
 * The retail procedures beyond oracle mode's happy paths, through the runner's episode loop with a
 * scripted customer and a stub sub-task model on the official v1 data (and τ² data): identity read
 * by the sub-task or by code, asking for a missing reason / order / payment method, confirmation
 * answers that are not a plain yes, refusals before any confirmation, information answers from
 * tool facts, transfers (v1 and τ²), and the write nodes' preconditions.
 */
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import type { ChatModel, ChatResponse } from '../../src/models/types.js';
import { runEpisode } from '../../src/runner/episode.js';
import type { EpisodeRecord } from '../../src/contract/record.js';
import type { UserSimulatorEntry } from '../../src/contract/user.js';
import { loadRetailDb } from '../../domains/retail/data.js';
import { retailRegistry } from '../../domains/retail/registry.js';
import { sharedPath } from '../../test/shared-data.js';
import { createBlueprintAgent, type RunInfo } from '../../src/blueprint/index.js';
import { retailBlueprint, retailContext } from './index.js';
import { TRANSFER_MESSAGE } from './messages.js';
import { parseIdentity, plainAnswer } from './parse.js';
import { swapRules, writeChecks } from './policy.js';
import { officialSuite } from '../../scripts/oracle/retail/suite-data.js';
import type { OrderView, RetailCtx } from './types.js';

type Answers = Record<string, (input: any) => unknown>;

interface Scene {
  /** The customer's opening (v1); null: τ², the agent greets first. */
  opening: string | null;
  /** The customer's reply to an agent message (`###STOP###` ends). */
  reply: (agentText: string) => string;
  /** Sub-task answers by name; any other sub-task fails the test. */
  answers: Answers;
}

interface Played {
  rec: EpisodeRecord;
  said: string[];
  tools: Array<{ name: string; args: Record<string, unknown>; observation: string; error: boolean }>;
  subtasks: string[];
}

const official = officialSuite();

function stubModel(answers: Answers, subtasks: string[]): ChatModel {
  return {
    id: 'stub',
    async complete(req): Promise<ChatResponse> {
      const sub = req.privileged?.subtask as { name: string; input: unknown } | undefined;
      const answer = sub === undefined ? undefined : answers[sub.name];
      if (sub === undefined || answer === undefined) throw new Error(`unexpected model call ${sub?.name ?? '(no sub-task)'}`);
      subtasks.push(sub.name);
      return {
        text: JSON.stringify(answer(sub.input)),
        toolCalls: [],
        finishReason: 'stop',
        usage: { input: 10, cacheRead: 0, cacheWrite: 0, output: 5 },
        latencyMs: 0,
        costUsd: 0,
        requestId: 'stub',
        retries: 0,
        retryWaitMs: 0,
        model: 'stub',
      };
    },
  };
}

async function play(scene: Scene, tau2 = false): Promise<Played> {
  const said: string[] = [];
  const subtasks: string[] = [];
  const data = tau2 ? loadRetailDb(sharedPath('tau2', 'retail')) : { base: official.base };
  const registry = retailRegistry(tau2 ? 'tau2' : 'v1');
  const user: UserSimulatorEntry = {
    needsModel: false,
    summary: 'scene',
    create: () => ({
      start: async () => scene.opening,
      reply: async (text: string) => {
        said.push(text);
        const r = scene.reply(text);
        if (r.includes('###STOP###')) return { text: r, done: true, reason: 'user_stop' };
        if (r.includes('###TRANSFER###')) return { text: r, done: true, reason: 'transfer' };
        return { text: r, done: false };
      },
    }),
  };
  const task: Task = { id: 'scene', index: 0, format: tau2 ? 'tau2' : 'tau-v1', domain: 'retail', instruction: '', actions: [], outputs: [] };
  const rec = await runEpisode({
    task,
    trial: 0,
    seed: 1,
    domain: 'retail',
    registry,
    base: data.base,
    policy: '',
    agent: createBlueprintAgent(retailBlueprint),
    user: { name: 'scene', create: user.create },
    models: { agent: stubModel(scene.answers, subtasks) },
    scorer: () => ({ reward: null }),
  });
  const tools = rec.trajectory.flatMap((e) => (e.type === 'tool' ? [{ name: e.name, args: JSON.parse(e.arguments) as Record<string, unknown>, observation: e.observation, error: e.error }] : []));
  return { rec, said, tools, subtasks };
}

const writesOf = (p: Played): string[] => p.tools.filter((t) => !/^(get_|find_|list_)/.test(t.name)).map((t) => t.name);

/** A customer answering the usual questions; `extra` handles the rest first. */
function customer(identity: string, extra: (t: string) => string | undefined = () => undefined): (t: string) => string {
  return (t) => extra(t) ?? (/verify your identity|could not find an account/.test(t) ? identity : /Do you confirm/.test(t) ? 'Yes, please go ahead.' : '###STOP###');
}

describe('retail procedures (stub sub-task model, scripted customer, runner)', () => {
  it('reads an unusual identity with the sub-task, asks for a missing cancel reason, cancels after a plain yes', async () => {
    const p = await play({
      opening: 'I want to cancel an order.',
      reply: customer('sure thing: yusuf rossi, 19122', (t) => (/need the reason/.test(t) ? 'I ordered it by mistake.' : undefined)),
      answers: {
        extract_identity: () => ({ email: null, first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' }),
        understand_requests: (i) => {
          expect(i.orders.map((o: { order_id: string }) => o.order_id)).toEqual(['#W6247578', '#W9711842', '#W4776164', '#W6679257', '#W2378156']);
          return { requests: [{ kind: 'cancel_order', order_id: 'W6247578', details: 'cancel the t-shirt order' }] };
        },
        extract_details: (i) => {
          expect(i).toEqual({ asked: 'reason', customer_message: 'I ordered it by mistake.' });
          return { reason: 'ordered by mistake' };
        },
      },
    });
    expect(p.subtasks).toEqual(['extract_identity', 'understand_requests', 'extract_details']);
    expect(p.tools[0]).toMatchObject({ name: 'find_user_id_by_name_zip', args: { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' }, error: false });
    const cancel = p.tools.find((t) => t.name === 'cancel_pending_order');
    expect(cancel?.args).toEqual({ order_id: '#W6247578', reason: 'ordered by mistake' });
    expect(cancel?.observation).toContain('"status": "cancelled"');
    expect(p.said.find((s) => s.includes('Do you confirm'))).toMatch(/cancel order #W6247578 .*"ordered by mistake".*\$53\.27/);
    expect(p.said.at(-1)).toMatch(/^Order #W6247578 is now cancelled\. Is there anything else/);
    expect(p.rec.termination.reason).toBe('user_stop');
  });

  it('a hesitant yes goes to the yes/no sub-task, a plain no does not; neither writes', async () => {
    let confirms = 0;
    const p = await play({
      opening: 'Please cancel my two pending orders, I no longer need them.',
      reply: customer('My email is yusuf.rossi7301@example.com.', (t) => (/Do you confirm/.test(t) ? (confirms++ === 0 ? 'Yes, but wait: can I keep the t-shirt?' : 'No.') : undefined)),
      answers: {
        understand_requests: () => ({
          requests: [
            { kind: 'cancel_order', order_id: '#W6247578', reason: 'no longer needed', details: 'cancel' },
            { kind: 'cancel_order', order_id: '#W4776164', reason: 'no longer needed', details: 'cancel' },
          ],
        }),
        confirm_yes_no: (i) => {
          expect(i.customer_reply).toBe('Yes, but wait: can I keep the t-shirt?');
          return { yes: false };
        },
      },
    });
    expect(p.subtasks).toEqual(['understand_requests', 'confirm_yes_no']);
    expect(p.tools[0]?.name).toBe('find_user_id_by_email');
    expect(writesOf(p)).toEqual([]);
    expect(p.said.filter((s) => s.includes('I have not made that change'))).toHaveLength(2);
  });

  it('refuses what the policy forbids without asking for confirmation', async () => {
    const p = await play({
      opening: 'Several things please.',
      reply: customer('My name is Yusuf Rossi and my zip code is 19122.'),
      answers: {
        understand_requests: () => ({
          requests: [
            { kind: 'cancel_order', order_id: '#W6679257', reason: 'no longer needed', details: 'cancel the camera' },
            { kind: 'return_items', order_id: '#W4566809', details: 'return my friend’s order' },
            { kind: 'modify_order_items', order_id: '#W9711842', details: 'other sunglasses' },
            { kind: 'other', order_id: null, details: 'tell me a joke' },
          ],
        }),
      },
    });
    expect(writesOf(p)).toEqual([]);
    expect(p.said.some((s) => s.includes('Do you confirm'))).toBe(false);
    const last = p.said.at(-1) as string;
    expect(last).toContain('order #W6679257 is "delivered", and only pending orders can be cancelled');
    expect(last).toContain('order #W4566809 is not an order of your account');
    expect(last).toContain('order #W9711842 is "cancelled", and only pending orders can be modified');
    expect(last).toContain('I can only help with your account, your orders and our products');
    expect(p.subtasks).toEqual(['understand_requests']);
  });

  it('locates an order named by its items, asks where a refund goes when not said, then returns', async () => {
    const p = await play({
      opening: 'I want to return my camera.',
      reply: customer('My email is yusuf.rossi7301@example.com.', (t) => (/Which of your saved payment methods/.test(t) ? 'To my credit card please.' : undefined)),
      answers: {
        understand_requests: () => ({ requests: [{ kind: 'return_items', order_id: null, order_hint: 'the camera', details: 'return the camera' }] }),
        locate_orders: (i) => {
          expect(i.requests).toEqual([{ request: 0, kind: 'return_items', order_hint: 'the camera', details: 'return the camera' }]);
          return { orders: [{ request: 0, order_id: '#W6679257' }] };
        },
        choose_return: (i) => {
          expect(i.payment_methods).toEqual([{ id: 'credit_card_9513926', method: expect.stringContaining('credit_card_9513926'), refund_allowed: true }]);
          return { item_ids: ['5996159312'], payment_method_id: null };
        },
        choose_payment_method: () => ({ payment_method_id: 'credit_card_9513926' }),
      },
    });
    expect(p.subtasks).toEqual(['understand_requests', 'locate_orders', 'choose_return', 'choose_payment_method']);
    expect(p.tools.find((t) => t.name === 'return_delivered_order_items')?.args).toEqual({ order_id: '#W6679257', item_ids: ['5996159312'], payment_method_id: 'credit_card_9513926' });
    expect(p.said.find((s) => s.includes('Do you confirm'))).toContain('total refund of $2895.55');
  });

  it('exchanges after reading the products of the order and choosing among their available variants', async () => {
    const p = await play({
      opening: 'Exchange please.',
      reply: customer('My email is yusuf.rossi7301@example.com.'),
      answers: {
        understand_requests: () => ({ requests: [{ kind: 'exchange_items', order_id: '#W2378156', details: 'clicky keyboard, Google thermostat', payment_method_id: 'credit_card_9513926' }] }),
        choose_items: (i) => {
          expect(Object.keys(i.available_variants)).toContain('Mechanical Keyboard (1656367028)');
          return { items: [{ item_id: '1151293680', new_item_id: '7706410293' }, { item_id: '4983901480', new_item_id: '7747408585' }], payment_method_id: null };
        },
      },
    });
    expect(p.tools.filter((t) => t.name === 'get_product_details')).toHaveLength(5);
    expect(p.tools.find((t) => t.name === 'exchange_delivered_order_items')?.args).toEqual({
      order_id: '#W2378156',
      item_ids: ['1151293680', '4983901480'],
      new_item_ids: ['7706410293', '7747408585'],
      payment_method_id: 'credit_card_9513926',
    });
    expect(p.said.find((s) => s.includes('Do you confirm'))).toContain('The price difference of $16.63 will be refunded');
  });

  it('refuses a payment change to a gift card that does not cover the order', async () => {
    const p = await play({
      opening: 'Pay with my gift card.',
      reply: customer('My email is raj.sanchez2046@example.com.'),
      answers: { understand_requests: () => ({ requests: [{ kind: 'modify_order_payment', order_id: '#W4566809', payment_method_id: 'gift_card_2259499', details: 'gift card' }] }) },
    });
    expect(writesOf(p)).toEqual([]);
    expect(p.said.at(-1)).toContain("the gift card's balance ($30.00) does not cover the order total ($826.70)");
  });

  it('answers information requests from tool facts (a product type chosen by the sub-task, tracking, gift cards)', async () => {
    const p = await play({
      opening: 'Questions.',
      reply: customer('My email is yusuf.rossi7301@example.com.'),
      answers: {
        understand_requests: () => ({
          requests: [
            { kind: 'info', topic: 'product', product_name: 'tees', order_id: null, details: 'how many tees are available' },
            { kind: 'info', topic: 'tracking_number', order_id: '#W2378156', details: 'tracking' },
            { kind: 'info', topic: 'gift_card_balance', order_id: null, details: 'gift card balance' },
          ],
        }),
        choose_product: (i) => {
          expect(i.product_types['T-Shirt']).toBe('9523456873');
          return { product_id: '9523456873' };
        },
      },
    });
    expect(p.tools.map((t) => t.name)).toContain('list_all_product_types');
    const last = p.said.at(-1) as string;
    expect(last).toContain('The T-Shirt has 10 variants available right now (of 12)');
    expect(last).toContain('The tracking number of order #W2378156 is 843053632392');
    expect(last).toContain('There is no gift card saved on your account.');
  });

  it('after a failed lookup, offers the other way; transfers a request no tool can do (v1 ends the episode)', async () => {
    const p = await play({
      opening: 'My package arrived broken.',
      reply: customer('My email is nobody@example.com.', (t) => (/first name, last name and zip code instead/.test(t) ? 'My name is Yusuf Rossi and my zip code is 19122.' : undefined)),
      answers: { understand_requests: () => ({ requests: [{ kind: 'transfer', order_id: null, details: 'damaged item claim' }] }) },
    });
    expect(p.tools.map((t) => [t.name, t.error]).slice(0, 2)).toEqual([
      ['find_user_id_by_email', true],
      ['find_user_id_by_name_zip', false],
    ]);
    expect(p.tools.at(-1)).toMatchObject({ name: 'transfer_to_human_agents', args: { summary: 'Customer yusuf_rossi_9620: damaged item claim' } });
    expect(p.rec.termination.reason).toBe('transfer');
  });

  it('a user id alone does not authenticate: it asks for an email or name and zip code', async () => {
    let asked = 0;
    const p = await play({
      opening: 'Hi, what is my gift card balance?',
      reply: (t) => (/verify your identity|To verify your identity/.test(t) ? (asked++ === 0 ? 'My user id is yusuf_rossi_9620.' : 'My email is yusuf.rossi7301@example.com.') : '###STOP###'),
      answers: {
        extract_identity: () => ({ email: null, first_name: null, last_name: null, zip: null }),
        understand_requests: () => ({ requests: [{ kind: 'info', topic: 'gift_card_balance', order_id: null, details: 'gift card balance' }] }),
      },
    });
    expect(asked).toBe(2);
    expect(p.said[1]).toBe('To verify your identity, I need the email address of your account, or your first name, last name and zip code.');
    expect(p.tools[0]).toMatchObject({ name: 'find_user_id_by_email', error: false });
    expect(p.tools.findIndex((t) => t.name === 'get_user_details')).toBe(1);
    expect(p.subtasks).toEqual(['extract_identity', 'understand_requests']);
  });

  it('τ²: greets first, and after the transfer tool tells the customer they are being transferred', async () => {
    const p = await play(
      {
        opening: null,
        reply: customer('My email is yusuf.rossi7301@example.com.', (t) => (t === 'Hi! How can I help you today?' ? 'I need a human about a damaged item.' : t.includes('TRANSFERRED') ? '###TRANSFER###' : undefined)),
        answers: { understand_requests: (i) => (expect(i.customer_messages[0]).toBe('I need a human about a damaged item.'), { requests: [{ kind: 'transfer', order_id: null, details: 'damaged item' }] }) },
      },
      true,
    );
    expect(p.said[0]).toBe('Hi! How can I help you today?');
    expect(p.tools.at(-1)?.name).toBe('transfer_to_human_agents');
    expect(p.said.at(-1)).toBe(TRANSFER_MESSAGE);
    expect(p.rec.termination.reason).toBe('transfer');
  });
});

describe('retail blueprint code checks', () => {
  const order: OrderView = {
    id: '#W1',
    userId: 'u',
    status: 'delivered',
    address: { address1: 'a', address2: '', city: 'c', state: 's', country: 'USA', zip: '12345' },
    items: [{ itemId: 'i1', productId: 'p1', name: 'Lamp', price: 10, options: { color: 'red' } }],
    tracking: [],
    payments: [{ type: 'payment', amount: 10, method: 'credit_card_1' }],
  };
  const ctx = (over: Partial<RetailCtx>): RetailCtx => ({
    ...retailContext({ domain: 'retail', semantics: 'v1', trial: 0, seed: 0, firstUserMessage: 'hi', policy: '' } as RunInfo),
    userId: 'u',
    user: { id: 'u', firstName: 'A', lastName: 'B', email: 'e', address: order.address, payments: [{ id: 'credit_card_1', source: 'credit_card', brand: 'visa', lastFour: '1', balance: null }], orders: ['#W1'] },
    orders: { '#W1': order },
    ...over,
  });
  const plan = { tool: 'cancel_pending_order' as const, orderId: '#W1', reason: 'no longer needed', address: null, paymentMethodId: null, swaps: [], itemIds: [], summary: '' };

  it('write preconditions: an unconfirmed plan or a broken rule blocks the write', () => {
    const checks = writeChecks('cancel_pending_order');
    expect(Object.keys(checks)).toEqual(['confirmed', 'order_owned', 'order_pending', 'reason_allowed']);
    const delivered = ctx({ plan, confirmed: true });
    expect(Object.fromEntries(Object.entries(checks).map(([k, f]) => [k, f(delivered)]))).toEqual({ confirmed: true, order_owned: true, order_pending: false, reason_allowed: true });
    const pending = ctx({ plan, confirmed: false, orders: { '#W1': { ...order, status: 'pending' } } });
    expect(checks.confirmed?.(pending)).toBe(false);
    expect(checks.order_pending?.(pending)).toBe(true);
    expect(checks.reason_allowed?.(ctx({ plan: { ...plan, reason: 'too expensive' }, confirmed: true }))).toBe(false);
    // A plan for another tool never passes this tool's "confirmed".
    expect(writeChecks('return_delivered_order_items').confirmed?.(delivered)).toBe(false);
  });

  it('items change only once, into a different available variant of the same product', () => {
    const products = { p1: { id: 'p1', name: 'Lamp', variants: [{ itemId: 'i1', options: { color: 'red' }, available: true, price: 10 }, { itemId: 'i2', options: { color: 'blue' }, available: true, price: 12 }, { itemId: 'i3', options: { color: 'green' }, available: false, price: 9 }] } };
    const user = ctx({}).user;
    const why = (o: OrderView, to: string): string | undefined => swapRules('modify', o, user, products, [{ itemId: 'i1', newItemId: to }], 'credit_card_1').find((r) => !r.ok)?.name;
    const pending = { ...order, status: 'pending' };
    expect(why(pending, 'i2')).toBeUndefined();
    expect(why(pending, 'i1')).toBe('different_variant');
    expect(why(pending, 'i3')).toBe('variant_available');
    expect(why(pending, 'x9')).toBe('same_product');
    expect(why({ ...order, status: 'pending (item modified)' }, 'i2')).toBe('order_pending');
  });

  it('reads plain identity details and plain yes/no answers by code, leaves the rest to sub-tasks', () => {
    expect(parseIdentity(['My email is a.b@example.com.'])).toEqual({ email: 'a.b@example.com' });
    expect(parseIdentity(['My name is Yusuf Rossi and my zip code is 19122.'])).toEqual({ first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' });
    expect(parseIdentity(['yusuf rossi, 19122'])).toEqual({});
    expect(parseIdentity(['I am Ana Li, zip 12345 or maybe 54321'])).toEqual({});
    expect(plainAnswer('Yes, please go ahead.')).toBe('yes');
    expect(plainAnswer('yes')).toBe('yes');
    expect(plainAnswer('No.')).toBe('no');
    expect(plainAnswer('Yes, but change the color first')).toBeNull();
    expect(plainAnswer('No wait, actually yes')).toBeNull();
    expect(plainAnswer('Sounds good to me')).toBeNull();
  });
});
