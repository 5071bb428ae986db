/**
 * The times this device gives the messages it records (receivedAt, and sentAt of its own): its own
 * clock, but each one later than the one before. History is ordered by (receivedAt, message ID) and
 * message IDs are random, so two messages recorded in the same millisecond (a sender's burst fetched
 * from a relay is stored several per millisecond) would otherwise show in a random order; this also
 * keeps the order when the clock is set back. Times run ahead of the clock only while more than one
 * message per millisecond is recorded, and by no more than the number of such messages.
 */
export function recordClock(now: () => number): () => number {
  let last = 0
  return () => {
    last = Math.max(now(), last + 1)
    return last
  }
}
