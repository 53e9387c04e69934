import type { HttpClient } from '../http.js';

/** The last acknowledged state of one employee. */
interface Acknowledged {
  version: number;
  salary: number;
}

/** What verifying the ledger found. */
export interface LedgerCheck {
  /** Writes the API acknowledged (2xx). */
  readonly acknowledged: number;
  /** Acknowledged writes not found stored as acknowledged. */
  readonly lost: number;
  /** A few examples of what was lost, for the report. */
  readonly examples: readonly string[];
}

/**
 * The acknowledgement ledger: every write the API acknowledged, checked afterwards to be stored. A write
 * answered with an error may or may not have happened (the answer may have been lost, not the write), so
 * a stored version above the acknowledged one is fine; below it, or a missing row, is a lost write.
 */
export class AckLedger {
  readonly #employees = new Map<string, Acknowledged>();
  #acknowledged = 0;

  /** An acknowledged create or change, with the employee the API answered. */
  acknowledge(employee: { id: string; version: number; salary: number }): void {
    this.#acknowledged++;
    const known = this.#employees.get(employee.id);
    if (!known || known.version < employee.version) {
      this.#employees.set(employee.id, { version: employee.version, salary: employee.salary });
    }
  }

  get acknowledged(): number {
    return this.#acknowledged;
  }

  /** Ids of acknowledged employees, for reads and changes to pick from. */
  ids(): string[] {
    return [...this.#employees.keys()];
  }

  /** Reads every acknowledged employee back through the API, `concurrency` at a time. */
  async verify(http: HttpClient, concurrency = 8): Promise<LedgerCheck> {
    const entries = [...this.#employees.entries()];
    const examples: string[] = [];
    let lost = 0;
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const [id, expected] = entries[next++]!;
        let problem: string | undefined;
        for (let attempt = 0; ; attempt++) {
          const reply = await http.request('GET', `/employees/${id}`).catch(() => undefined);
          if (reply?.status === 503 || !reply) {
            if (attempt < 20) {
              await new Promise((r) => setTimeout(r, 250));
              continue;
            }
            problem = `${id}: could not be read (${reply?.status ?? 'no answer'})`;
            break;
          }
          const body = reply.json as { version?: number; salary?: number };
          if (reply.status === 404) problem = `${id}: acknowledged at version ${expected.version}, missing`;
          else if (reply.status !== 200) problem = `${id}: read answered ${reply.status}`;
          else if ((body.version ?? 0) < expected.version) {
            problem = `${id}: acknowledged version ${expected.version}, stored ${body.version}`;
          } else if (body.version === expected.version && body.salary !== expected.salary) {
            problem = `${id}: version ${expected.version} acknowledged salary ${expected.salary}, stored ${body.salary}`;
          }
          break;
        }
        if (problem) {
          lost++;
          if (examples.length < 5) examples.push(problem);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { acknowledged: this.#acknowledged, lost, examples };
  }
}
