/** The baseline agents (tool-calling, react, act, few-shot) as a plug-in, installed by the composition root. */
import { definePlugin } from '../src/plugin/define.js';
import { BASELINE_AGENTS } from './index.js';

export default definePlugin({ name: 'baselines', agents: BASELINE_AGENTS });
