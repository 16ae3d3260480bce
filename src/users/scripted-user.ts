/**
 * The deterministic scripted customer (`--user scripted`): no LLM. It answers the agent from the
 * task's structured facts (generated tasks) or, for official tasks that have none, from what the
 * task reveals: identity from the gold lookups or the user record, ids and choices from the gold
 * arguments. It says yes to confirmations, and stops (`###STOP###`) when its goal is met (every
 * gold write done, every requested fact told), when the agent refuses what the policy forbids,
 * when the agent closes the conversation, or after too many unproductive turns.
 */
import { jcsStringify } from '../core/py/jcs.js';
import { formatPyNum, isPyNum } from '../core/py/py-float.js';
import type { PyObject, PyValue } from '../core/py/py-value.js';
import type { GoldAction, Task } from '../core/task.js';
import type { UserReply } from '../contract/agent.js';
import type { UserSimulator, UserSimulatorContext, UserSimulatorEntry } from '../contract/user.js';
import type { DbState } from '../env/db-state.js';

/** Stop token of τ-bench user simulators. */
export const STOP = '###STOP###';

/** One past tool call as the environment logged it. */
export interface ObservedAction {
  name: string;
  kwargs: PyObject;
  error: boolean;
}

/** What the scripted user may look at besides the conversation (privileged, read-only). */
export interface ScriptedUserContext {
  task: Task;
  /** Tool calls made so far in the episode (the environment's log). */
  actions: () => readonly ObservedAction[];
  /** Which tools change the database. */
  isWrite: (name: string) => boolean;
  /** The customer's user record, for identity on official tasks (name, address.zip, email). */
  userRecord?: Readonly<PyObject>;
  /** Unproductive turns before giving up. Default 4. */
  patience?: number;
}

const CONFIRM = /\b(confirm|yes or no|yes\/no|\(yes\b|shall i|should i proceed|do you want me to|would you like me to|can i go ahead|may i proceed)\b/i;
const IDENTITY = /\b(email|zip|first name|last name|full name|your name|user id|user_id|verify|identity|authenticate|look you up|locate your account)\b/i;
const CLOSING = /\b(anything else|goodbye|have a (great|nice|good) day|is there something else)\b/i;
const REFUSAL = /\b(cannot|can't|can not|unable|not able|not possible|not allowed|not eligible|against (our|the) policy|sorry, but|i'm sorry, i|unfortunately)\b/i;

function str(v: PyValue | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (isPyNum(v)) return formatPyNum(v);
  return undefined;
}

function sameCall(a: ObservedAction, g: GoldAction): boolean {
  return a.name === g.name && !a.error && jcsStringify(a.kwargs, { typedFloats: true }) === jcsStringify(g.kwargs, { typedFloats: true });
}

function humanize(name: string): string {
  return name.replace(/_/g, ' ');
}

/** A scripted customer for one episode. */
export class ScriptedUser {
  readonly #ctx: ScriptedUserContext;
  #unproductive = 0;
  #identityGiven = false;
  readonly #toldTexts: string[] = [];

  constructor(ctx: ScriptedUserContext) {
    this.#ctx = ctx;
  }

  #task(): Task {
    return this.#ctx.task;
  }

  #goldWrites(): GoldAction[] {
    return this.#task().actions.filter((a) => this.#ctx.isWrite(a.name));
  }

  /** Gold writes not yet performed (multiset match on name + arguments). */
  #pendingWrites(): GoldAction[] {
    const done = [...this.#ctx.actions()];
    const pending: GoldAction[] = [];
    for (const g of this.#goldWrites()) {
      const i = done.findIndex((a) => sameCall(a, g));
      if (i >= 0) done.splice(i, 1);
      else pending.push(g);
    }
    return pending;
  }

  #requests(): Array<{ utterance: string }> {
    const scripted = this.#task().scripted?.requests;
    if (scripted !== undefined && scripted.length > 0) return scripted;
    const writes = this.#goldWrites();
    if (writes.length === 0) return [{ utterance: this.#task().outputs.length > 0 ? 'I have a question about my account.' : 'I need some help with my account.' }];
    return writes.map((g) => ({ utterance: `I would like to ${humanize(g.name)}.` }));
  }

  /** The opening message. */
  start(): string {
    const first = this.#requests()[0]?.utterance ?? 'I need some help.';
    return `Hi! ${first}`;
  }

  /** The customer's identity, as they would state it. */
  identity(): string {
    const t = this.#task();
    const id = t.scripted?.identity;
    // Official tasks may try wrong details first (a typo'd email, an old zip): state the lookup
    // that matches the customer's record when there is one, else the first.
    const lookups = t.actions.filter((a) => a.name.startsWith('find_user_id_by'));
    const lookup = lookups.find((a) => this.#matchesRecord(a)) ?? lookups[0];
    const email = id?.email ?? str(lookup?.kwargs.email) ?? str(this.#ctx.userRecord?.email);
    const first = id?.first_name ?? str(lookup?.kwargs.first_name) ?? str((this.#ctx.userRecord?.name as PyObject | undefined)?.first_name);
    const last = id?.last_name ?? str(lookup?.kwargs.last_name) ?? str((this.#ctx.userRecord?.name as PyObject | undefined)?.last_name);
    const zip = id?.zip ?? str(lookup?.kwargs.zip) ?? str((this.#ctx.userRecord?.address as PyObject | undefined)?.zip);
    const userId = id?.user_id ?? t.userId;
    const parts: string[] = [];
    if (lookup?.name === 'find_user_id_by_email' && email !== undefined) parts.push(`My email is ${email}.`);
    else if (first !== undefined && last !== undefined && zip !== undefined) parts.push(`My name is ${first} ${last} and my zip code is ${zip}.`);
    else if (email !== undefined) parts.push(`My email is ${email}.`);
    if (userId !== undefined && (lookup === undefined || parts.length === 0)) parts.push(`My user id is ${userId}.`);
    return parts.join(' ') || 'I am not sure which details you need.';
  }

  /** Whether a gold identity lookup's details are the customer's record's (false without a record). */
  #matchesRecord(a: GoldAction): boolean {
    const rec = this.#ctx.userRecord;
    return rec !== undefined && lookupMatches(a, rec);
  }

  /** Facts the customer knows for a keyword (order id, reservation id, payment method, reason…). */
  #fact(key: string): string | undefined {
    const facts = this.#task().scripted?.facts;
    const f = facts?.[key];
    if (f !== undefined) return Array.isArray(f) ? f.join(', ') : f;
    const values = new Set<string>();
    for (const g of this.#pendingWrites().length > 0 ? this.#pendingWrites() : this.#task().actions) {
      const v = str(g.kwargs[key]);
      if (v !== undefined) values.add(v);
    }
    return values.size === 0 ? undefined : [...values].join(', ');
  }

  /** The customer's reply to an agent message. */
  reply(agentText: string): string {
    this.heard(agentText);
    const text = agentText.toLowerCase();
    const pending = this.#pendingWrites();
    const t = this.#task();
    const facts = [...t.outputs, ...(t.evaluation?.communicateInfo ?? [])];
    const told = facts.every((f) => this.#told(f));
    if (pending.length === 0 && told && (this.#goldWrites().length > 0 || facts.length > 0 || CLOSING.test(text) || REFUSAL.test(text))) {
      return STOP;
    }
    if (IDENTITY.test(text) && !this.#identityGiven) {
      this.#identityGiven = true;
      this.#unproductive = 0;
      return this.identity();
    }
    if (CONFIRM.test(text)) {
      this.#unproductive = 0;
      return 'Yes, please go ahead.';
    }
    const asks: Array<[RegExp, string, string]> = [
      [/\border (id|number)|which order/i, 'order_id', 'The order id is'],
      [/\breservation (id|number)|which reservation|confirmation (code|number)/i, 'reservation_id', 'The reservation id is'],
      [/\bpayment method|which card|how would you like to pay|refund to|gift card/i, 'payment_method_id', 'Please use'],
      [/\breason\b/i, 'reason', 'The reason is:'],
      [/\buser id\b/i, 'user_id', 'My user id is'],
    ];
    for (const [re, key, lead] of asks) {
      if (re.test(agentText)) {
        const v = this.#fact(key) ?? (key === 'user_id' ? t.userId : undefined);
        if (v !== undefined) {
          this.#unproductive = 0;
          return `${lead} ${v}.`;
        }
      }
    }
    if (IDENTITY.test(text)) return this.identity();
    this.#unproductive++;
    if (CLOSING.test(text) || this.#unproductive > (this.#ctx.patience ?? 4)) return STOP;
    // Restate what is still wanted.
    const reqs = this.#requests();
    const idx = Math.min(reqs.length - 1, Math.max(0, this.#goldWrites().length - pending.length));
    return reqs[idx]?.utterance ?? STOP;
  }

  /** Records an agent message so that facts told can be checked. */
  heard(agentText: string): void {
    this.#toldTexts.push(agentText.toLowerCase().replaceAll(',', ''));
  }

  #told(fact: string): boolean {
    const f = fact.toLowerCase();
    return this.#toldTexts.some((t) => t.includes(f));
  }
}

/**
 * The customer's record when the task names no user id (τ² retail): the user matching one of the
 * task's gold identity lookups, the last one first (tasks may try wrong details before the right ones).
 */
export function recordFromLookups(users: Iterable<Readonly<PyObject>>, gold: readonly GoldAction[]): Readonly<PyObject> | undefined {
  const lookups = gold.filter((a) => a.name.startsWith('find_user_id_by')).reverse();
  if (lookups.length === 0) return undefined;
  const records = [...users];
  for (const a of lookups) {
    const rec = records.find((r) => lookupMatches(a, r));
    if (rec !== undefined) return rec;
  }
  return undefined;
}

/** Whether an identity lookup (`find_user_id_by_email` / `_by_name_zip`) finds this user record. */
export function lookupMatches(a: GoldAction, rec: Readonly<PyObject>): boolean {
  const low = (v: PyValue | undefined): string | undefined => str(v)?.toLowerCase();
  if (a.name === 'find_user_id_by_email') return low(a.kwargs.email) !== undefined && low(a.kwargs.email) === low(rec.email);
  const name = rec.name as PyObject | undefined;
  return low(a.kwargs.first_name) === low(name?.first_name) && low(a.kwargs.last_name) === low(name?.last_name) && str(a.kwargs.zip) === str((rec.address as PyObject | undefined)?.zip);
}

/**
 * The customer's record found through the records the gold actions touch (`user_id`, or the
 * owner of an `order_id` / `reservation_id`), for tasks with neither a user id nor a lookup.
 */
export function recordFromRecords(db: DbState, gold: readonly GoldAction[]): Readonly<PyObject> | undefined {
  const tables = new Set(db.tableNames());
  if (!tables.has('users')) return undefined;
  const users = db.table('users');
  for (const a of gold) {
    const direct = str(a.kwargs.user_id);
    if (direct !== undefined && users.has(direct)) return users.get(direct);
    for (const [key, table] of [['order_id', 'orders'], ['reservation_id', 'reservations']] as const) {
      const id = str(a.kwargs[key]);
      if (id === undefined || !tables.has(table)) continue;
      const owner = str(db.table(table).get(id)?.user_id);
      if (owner !== undefined && users.has(owner)) return users.get(owner);
    }
  }
  return undefined;
}

/**
 * Registry entry for `--user scripted`. The simulator reads the episode's action log and database
 * through the runner's privileged environment view (never the agent's messages beyond the text).
 */
export const scriptedUserEntry: UserSimulatorEntry = {
  needsModel: false,
  summary: 'deterministic scripted customer (no LLM): answers from the task, yes to confirmations, stops when the goal is met',
  create: (context: UserSimulatorContext): UserSimulator => {
    let user: ScriptedUser | undefined;
    let greeted = false;
    const toReply = (text: string): UserReply => (text.includes(STOP) ? { text, done: true, reason: 'user_stop' } : { text, done: false });
    return {
      async start(task: Task): Promise<string | null> {
        const users = context.environment.db.tableNames().includes('users') ? context.environment.db.table('users') : undefined;
        const db = context.environment.db;
        const record =
          (task.userId === undefined ? undefined : users?.get(task.userId)) ??
          (users === undefined ? undefined : recordFromLookups(users.values(), task.actions) ?? recordFromRecords(db, task.actions));
        user = new ScriptedUser({
          task,
          actions: () => context.environment.actions().filter((a) => a.name !== 'respond'),
          isWrite: (name) => context.environment.registry.get(name)?.kind === 'write',
          ...(record === undefined ? {} : { userRecord: record }),
        });
        if (context.semantics === 'tau2') return null;
        greeted = true;
        return user.start();
      },
      async reply(agentText: string): Promise<UserReply> {
        if (user === undefined) throw new Error('scripted user: reply() before start()');
        if (!greeted) {
          greeted = true;
          user.heard(agentText);
          return toReply(user.start());
        }
        return toReply(user.reply(agentText));
      },
    };
  },
};
