/** The baseline agents (tool-calling, react, act, few-shot, plan-execute) as a plug-in, installed by the composition root. */
import { definePlugin } from '../src/plugin/define.js';
import { BASELINE_AGENTS } from './index.js';
import { planExecuteAgentEntry } from './plan-execute/index.js';

export default definePlugin({ name: 'baselines', agents: { ...BASELINE_AGENTS, 'plan-execute': planExecuteAgentEntry } });
