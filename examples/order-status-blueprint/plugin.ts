/**
 * Example plug-in: a second retail blueprint, `order-status`, that answers order-status questions
 * and transfers everything else to a human agent. It runs beside the built-in retail blueprint:
 *
 *   taubp run --plugin examples/order-status-blueprint/plugin.ts --agent blueprint:order-status \
 *     --domain retail --data builtin --model sim --user scripted --tasks 0-4
 *
 * Its one LLM sub-task (`order_status.request`) comes with an oracle, so `--model sim` answers it
 * as a perfect model would (oracle mode). See docs/writing-a-blueprint.md.
 */
import { defineBlueprint, definePlugin, z, type SubtaskOracle } from 'tau-blueprint';

/** The blueprint's context: everything it knows, changed only by its nodes. */
interface Ctx {
  message: string;
  kind: 'order_status' | 'other' | null;
  orderId: string | null;
  status: string | null;
}

const READ_TOOL = /^(get_|find_|list_|calculate|think)/;

export const orderStatusBlueprint = defineBlueprint<Ctx>({
  id: 'order-status',
  version: '1',
  domain: 'retail',
  description: 'answers order-status questions; transfers everything else',
  approvedTools: ['get_order_details', 'transfer_to_human_agents'],
  context: (info): Ctx => ({ message: info.firstUserMessage ?? '', kind: null, orderId: null, status: null }),
  start: 'has_message',
  nodes: (n) => [
    n.branch('has_message', { test: (c) => c.message !== '', then: 'turns', else: 'greet' }),
    n.say('greet', { text: () => 'Hi! How can I help you today?', onReply: (c, r) => void (c.message = r), next: 'turns' }),
    // One iteration per customer message; a back edge must go through a loop node (validation).
    n.loop('turns', { maxIterations: 5, while: () => true, body: 'classify', exit: 'transfer', onExhausted: 'transfer' }),
    n.llm('classify', {
      task: 'order_status.request',
      instructions: 'Decide whether the customer only asks for the status of one order, and which order id (like #W1234567) they give.',
      input: (c) => ({ message: c.message }),
      schema: z.object({ kind: z.enum(['order_status', 'other']), orderId: z.string().nullable() }),
      check: (out) => (out.kind === 'order_status' && out.orderId === null ? 'an order-status question needs the order id' : undefined),
      onResult: (c, out) => {
        c.kind = out.kind;
        c.orderId = out.orderId;
      },
      next: 'route',
      fallback: 'transfer',
    }),
    n.branch('route', { test: (c) => c.kind === 'order_status', then: 'lookup', else: 'transfer' }),
    n.tool('lookup', {
      tool: 'get_order_details',
      args: { order_id: (c) => c.orderId ?? undefined },
      onResult: (c, r) => {
        const order = r.json() as { status?: unknown } | undefined;
        c.status = typeof order?.status === 'string' ? order.status : null;
      },
      next: 'tell',
      onError: 'transfer',
    }),
    // The customer's answer is the next message; "###STOP###" ends the run here.
    n.say('tell', { text: (c) => `Your order ${c.orderId ?? ''} is ${c.status ?? 'in an unknown state'}. Anything else?`, onReply: (c, r) => void (c.message = r), next: 'turns' }),
    n.tool('transfer', {
      tool: 'transfer_to_human_agents',
      args: { summary: (c) => `Customer request outside order status: ${c.message}` },
      next: 'transferred',
    }),
    n.end('transferred', { reason: 'transferred' }),
  ],
});

/**
 * Oracle mode: what a perfect model answers to `order_status.request`, read from the task's gold
 * actions (order status = only reads, one of them get_order_details, and only questions). `wrong` lists the answer
 * the simulated model gives when its error model fires (`--model sim:<p>`).
 */
const requestOracle: SubtaskOracle = ({ task }) => {
  // Only reads in the gold actions, and (built-in tasks) only questions among the customer's requests.
  const readsOnly = task.actions.every((a) => READ_TOOL.test(a.name)) && (task.scripted?.requests ?? []).every((r) => r.kind === 'ask_info');
  const lookup = task.actions.find((a) => a.name === 'get_order_details');
  const orderId = lookup?.kwargs.order_id;
  const answer = readsOnly && typeof orderId === 'string' ? { kind: 'order_status', orderId } : { kind: 'other', orderId: null };
  return { answer, wrong: [{ kind: answer.kind === 'other' ? 'order_status' : 'other', orderId: null }] };
};

export default definePlugin({
  name: 'order-status-example',
  blueprints: [{ blueprint: orderStatusBlueprint, oracles: { 'order_status.request': requestOracle } }],
});
