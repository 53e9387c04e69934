import type { EmployeeRow, UserRow } from './entities.js';

/**
 * The JSON a client sees for a stored row: instants as ISO 8601 strings in UTC, and only the declared
 * fields, in a fixed order, whatever extra a backend might hand back.
 */
export function employeeView(row: EmployeeRow) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    department: row.department,
    salary: row.salary,
    active: row.active,
    hiredAt: row.hiredAt.toISOString(),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function userView(row: UserRow) {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
