import type { EmployeeRow, UserRow } from './entities.js';

/**
 * The JSON a client sees for a stored row: instants as ISO 8601 strings in UTC, and only the declared
 * fields, in a fixed order, whatever extra a backend might hand back.
 */
export function employeeView(row: EmployeeRow, manager?: UserRow | null) {
  const view = {
    id: row.id,
    name: row.name,
    email: row.email,
    department: row.department,
    salary: row.salary,
    active: row.active,
    hiredAt: row.hiredAt.toISOString(),
    managerId: row.managerId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
  // `manager` only when it was asked for (`?include=manager`): undefined is "not loaded", null "no manager".
  return manager === undefined ? view : { ...view, manager: manager && userView(manager) };
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
