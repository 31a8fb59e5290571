// The updates engine: a sans-IO state machine over pts / qts / seq / date and
// every channel's pts (core.telegram.org/api/updates). See README.md for what
// the client's edge must do with it.
export { UpdatesBox } from './updates-box.js';
export { UpdatesError } from './errors.js';
export { parseUpdatesState, type UpdatesState } from './state.js';
export { sequenceOf, channelIdOf, isUpdates, type UpdateSequence } from './classify.js';
export { expandShortMessage } from './short.js';
export type { UpdatesBoxOptions, UpdatesOutput, UpdatesRequest, UpdatesStats } from './types.js';
