import { describe, expect, it } from 'vitest';
import { WritePositionTracker } from './write-position.js';

/** mysql2 decodes OK packets into instances of a class of this name; rows are plain objects. */
class ResultSetHeader {
  constructor(
    readonly serverStatus: number,
    lastGtid?: string,
  ) {
    if (lastGtid !== undefined) this.stateChanges = { systemVariables: { last_gtid: lastGtid } };
  }
  readonly stateChanges?: { systemVariables: Record<string, string> };
}
const AUTOCOMMIT = 0x0002;
const IN_TRANS = 0x0001;

describe('WritePositionTracker', () => {
  it('merges the GTIDs the replies reported, and forgets them at checkout', () => {
    const tracker = new WritePositionTracker();
    expect(tracker.position).toBeUndefined();
    tracker.note('INSERT INTO t VALUES (?)', new ResultSetHeader(AUTOCOMMIT, '0-10-5'));
    tracker.note('INSERT INTO u VALUES (?)', new ResultSetHeader(AUTOCOMMIT, '1-10-2'));
    expect(tracker.position).toBe('0-10-5,1-10-2');
    tracker.reset();
    expect(tracker.position).toBeUndefined();
  });

  it('reads the COMMIT of a marked commit among several statements, and ignores rows', () => {
    const tracker = new WritePositionTracker();
    tracker.note('SELECT * FROM t', [{ serverStatus: 0, affectedRows: 1 }]);
    tracker.note('REPLACE INTO m ...; COMMIT', [
      new ResultSetHeader(AUTOCOMMIT | IN_TRANS),
      new ResultSetHeader(AUTOCOMMIT, '0-10-9'),
    ]);
    expect(tracker.position).toBe('0-10-9');
  });

  it('is unsure after a statement outside a transaction that reported no GTID, or after a failure', () => {
    const tracker = new WritePositionTracker();
    tracker.note('INSERT INTO t VALUES (?)', new ResultSetHeader(AUTOCOMMIT, '0-10-5'));
    // An UPDATE that changed nothing: logged nothing, but may have read another session's newer commit.
    tracker.note('UPDATE t SET a = ?', new ResultSetHeader(AUTOCOMMIT));
    expect(tracker.position).toBeUndefined();
    tracker.reset();
    tracker.note('INSERT INTO t VALUES (?)', new ResultSetHeader(AUTOCOMMIT, '0-10-6'));
    tracker.noteFailure();
    expect(tracker.position).toBeUndefined();
  });

  it('does not count transaction and session control, or statements inside a transaction', () => {
    const tracker = new WritePositionTracker();
    tracker.note('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', new ResultSetHeader(AUTOCOMMIT));
    tracker.note('START TRANSACTION', new ResultSetHeader(AUTOCOMMIT | IN_TRANS));
    tracker.note('UPDATE t SET a = ?', new ResultSetHeader(AUTOCOMMIT | IN_TRANS));
    tracker.note('COMMIT', new ResultSetHeader(AUTOCOMMIT, '0-10-7'));
    expect(tracker.position).toBe('0-10-7');
  });
});
