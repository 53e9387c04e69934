import type { ClientSession } from 'mongodb';

/**
 * Whether any command of one operation reached the wire, told by the session it runs on rather than by the
 * class of the error it failed with. The driver sets the server session's `lastUse` to the current time
 * each time it builds a command on a checked-out socket (`applySession`, called by every command that
 * carries a session, as the sessions specification requires: "update lastUse each time the server session
 * id is sent"), just before writing it; nothing else sets it. Its times are whole milliseconds
 * (`Math.floor(performance.now())`), so a mark half a millisecond past the last use is a value no command
 * can leave behind: if the mark is still there once the operation has settled, no attempt got as far as a
 * socket. The error class cannot say this: when a retryable write's first attempt is sent and its reply
 * lost, mongodb 7.9 selects a server for the retry outside its try block (`executeOperationWithRetries`),
 * and a failed selection then throws `MongoServerSelectionError` in place of the first attempt's error.
 *
 * A command built but not written (its socket failed in between) counts as sent: the mark errs towards
 * "may have been applied", never the other way. Off by half a millisecond, the mark cannot change when the
 * driver's session pool deems the session expired (whole minutes). An explicit session, as every berth
 * connection holds, keeps the same server session for its whole life, and berth runs one operation at a
 * time on it, so no other command can move the mark. Cost: a property read and write per operation.
 *
 * @returns the mark, to hand to `sentSince`.
 */
export function markUnsent(session: ClientSession): number {
  const server = session.serverSession;
  const mark = Math.floor(server.lastUse) + 0.5;
  server.lastUse = mark;
  return mark;
}

/**
 * True if a command has been built for the wire on `session` since `markUnsent` returned `mark`. Only
 * meaningful once the operation has settled: one still running (given up on at a client-side bound) may
 * send later. A `lastUse` that is not a number reads as sent.
 */
export function sentSince(session: ClientSession, mark: number): boolean {
  return session.serverSession.lastUse !== mark;
}
