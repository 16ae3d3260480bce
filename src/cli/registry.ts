/**
 * The composition root: the only module that wires domains, agents, user simulators, blueprints
 * and model providers together. Everything else in `src/` is domain-agnostic.
 */
export {};
