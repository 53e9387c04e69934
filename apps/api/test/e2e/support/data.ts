import { randomUUID } from 'node:crypto';

/** Unique per test run, so suites sharing a database (or re-run against one) never collide. */
const RUN = randomUUID().slice(0, 8);
let sequence = 0;

export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}_${RUN}_${sequence}`;
}

export interface EmployeeInput {
  name: string;
  email: string;
  department: string;
  salary: number;
  active?: boolean;
  hiredAt: string;
  managerId?: string | null;
}

export function newEmployee(overrides: Partial<EmployeeInput> = {}): EmployeeInput {
  const key = unique('e');
  return {
    name: `Employee ${key}`,
    email: `${key}@example.com`,
    department: 'general',
    salary: 50_000,
    hiredAt: '2020-01-15T09:00:00.000Z',
    ...overrides,
  };
}

export interface UserInput {
  username: string;
  displayName: string;
  email: string;
}

export function newUser(overrides: Partial<UserInput> = {}): UserInput {
  const key = unique('u').toLowerCase();
  return { username: key, displayName: `User ${key}`, email: `${key}@example.org`, ...overrides };
}

/** The order the contract promises: by `key` (descending with `-`), ties by `id` ascending. */
export function byKey<T extends Record<string, unknown>>(sort: string): (a: T, b: T) => number {
  const descending = sort.startsWith('-');
  const key = descending ? sort.slice(1) : sort;
  const value = (row: T): string | number => {
    const v = row[key];
    if (key === 'hiredAt' || key === 'createdAt') return Date.parse(String(v));
    return v as string | number;
  };
  return (a, b) => {
    const va = value(a);
    const vb = value(b);
    let order = va < vb ? -1 : va > vb ? 1 : 0;
    if (descending) order = -order;
    if (order !== 0) return order;
    return String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0;
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
