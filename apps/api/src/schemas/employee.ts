import { Type } from '@sinclair/typebox';
import { MAX_SALARY } from '../entities.js';
import { Cursor, DateTime, Email, Limit, Timestamp, strictObject, stringEnum } from './common.js';
import { User } from './user.js';

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  email: Email,
  department: Type.String({ minLength: 1, maxLength: 100 }),
  salary: Type.Integer({ minimum: 0, maximum: MAX_SALARY }),
  active: Type.Boolean({ description: 'Default true.' }),
  hiredAt: DateTime(),
  managerId: Type.Union([Type.String({ minLength: 1, maxLength: 36 }), Type.Null()], {
    description:
      "The id of the user who manages this employee, or null (the default). A user's id, or a 400.",
  }),
};

/** The relations a read may load (`?include=manager`). */
export const EMPLOYEE_INCLUDES = ['manager'] as const;

const Include = stringEnum(EMPLOYEE_INCLUDES, {
  description:
    '`manager`: each employee also carries `manager`, the user `managerId` names (or null), read in one ' +
    'more query whatever the number of employees. Without it the response is as before.',
});

/** `GET /employees/{id}`: only `include`. */
export const EmployeeReadQuery = strictObject({ include: Type.Optional(Include) });

/** `POST /employees` and each item of `POST /employees/bulk`. */
export const EmployeeCreate = strictObject({
  name: fields.name,
  email: fields.email,
  department: fields.department,
  salary: fields.salary,
  active: Type.Optional(fields.active),
  hiredAt: fields.hiredAt,
  managerId: Type.Optional(fields.managerId),
});

/** `PATCH /employees/{id}`: any of the caller's fields. An empty patch changes nothing. */
export const EmployeePatch = strictObject({
  name: Type.Optional(fields.name),
  email: Type.Optional(fields.email),
  department: Type.Optional(fields.department),
  salary: Type.Optional(fields.salary),
  active: Type.Optional(fields.active),
  hiredAt: Type.Optional(fields.hiredAt),
  managerId: Type.Optional(fields.managerId),
});

export const EmployeeBulk = Type.Array(EmployeeCreate, { minItems: 1, maxItems: 1000 });

export const Employee = Type.Object({
  id: Type.String(),
  ...fields,
  version: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp('When the server stored it.'),
  updatedAt: Timestamp('When it last changed.'),
  manager: Type.Optional(
    Type.Union([User, Type.Null()], {
      description: 'Only with `?include=manager`: the user managerId names.',
    }),
  ),
});

export const EmployeeList = Type.Object({
  items: Type.Array(Employee),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
});

export const EMPLOYEE_SORTS = [
  'name',
  '-name',
  'salary',
  '-salary',
  'hiredAt',
  '-hiredAt',
  'createdAt',
  '-createdAt',
] as const;

export const EmployeeListQuery = strictObject({
  department: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  active: Type.Optional(Type.Boolean()),
  minSalary: Type.Optional(Type.Integer({ description: 'Inclusive.' })),
  maxSalary: Type.Optional(Type.Integer({ description: 'Inclusive.' })),
  sort: Type.Optional(
    stringEnum(EMPLOYEE_SORTS, { description: 'Ties are broken by id. Default: creation order.' }),
  ),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
  include: Type.Optional(Include),
});

/** `GET /employees/export`: the list filters and sort, without paging (every match is streamed). */
export const EmployeeExportQuery = strictObject({
  department: EmployeeListQuery.properties.department,
  active: EmployeeListQuery.properties.active,
  minSalary: EmployeeListQuery.properties.minSalary,
  maxSalary: EmployeeListQuery.properties.maxSalary,
  sort: EmployeeListQuery.properties.sort,
});
