/**
 * Test helpers for kesu users and for kesu itself: a given/when/then spec for `decide`,
 * fast-check arbitraries for commands and valid streams, and the event-store contract suite.
 * @packageDocumentation
 */

export type {
  ArbitraryOptions,
  CommandRun,
  RunOptions,
  SequenceOptions,
  SteppingClock,
} from "./arbitraries.js";
export {
  arbCommandFor,
  arbCommandSequence,
  arbHandlingCommand,
  arbJsonish,
  arbMangledCommand,
  arbValidStream,
  checkStream,
  createSteppingClock,
  defaultTestActor,
  runCommands,
} from "./arbitraries.js";
export type { DeciderGiven, DeciderSpecOptions, DeciderThen } from "./deciderSpec.js";
export { deciderSpec } from "./deciderSpec.js";
export type { ContractStore, EventStoreContractOptions } from "./eventStoreContract.js";
export { eventStoreContract } from "./eventStoreContract.js";
