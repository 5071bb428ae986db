// Types of the protons-generated messages, re-exported for callers that build values to encode.
export type * from './content.js'
export type * from './envelope.js'
export type * from './group.js'
export type * from './records.js'
export type * from './session.js'
export type * from './relay.js'
export type * from './link.js'
