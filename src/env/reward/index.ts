/**
 * Rewards: v1 (database + required outputs) and τ² (product over the reward basis), chosen by the
 * task's format, with a breakdown ({@link RewardInfo}) kept for every result.
 */
export * from './types.js';
export { GoldCache, applyInitialState, goldReply, playGoldTrajectory, replayGold, rulesFor, type GoldState, type GoldTrajectory, type RewardRules } from './gold.js';
export { outputFound, repliesOf, scoreV1, type V1ScoreContext } from './v1.js';
export { actionMatches, scoreTau2, transcriptFromActions, type Tau2ScoreContext } from './tau2.js';
export { pyEqual, normalizeArg } from './py-equal.js';
export { computeReward, makeScorer, type RewardContext, type ScorerInput } from './score.js';
export { regrade, verifyGold, verifyJsonLine, loggedActionsValue, type VerifiedTrajectory, type VerifyLineExtras } from './verify.js';
export { actionsFromTaubenchTraj, parseTrajectories, readTrajectories, type GivenTrajectory } from './trajectory-file.js';
