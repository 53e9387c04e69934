import { Type } from '@sinclair/typebox';
import { Cursor, Email, Limit, Timestamp, strictObject, stringEnum } from './common.js';

const fields = {
  username: Type.String({ pattern: '^[a-z0-9_]{3,50}$', minLength: 3, maxLength: 50 }),
  displayName: Type.String({ minLength: 1, maxLength: 200 }),
  email: Email,
};

export const UserCreate = strictObject(fields);

/** `PATCH /users/{id}`: any of the caller's fields. An empty patch changes nothing. */
export const UserPatch = strictObject({
  username: Type.Optional(fields.username),
  displayName: Type.Optional(fields.displayName),
  email: Type.Optional(fields.email),
});

export const User = Type.Object({
  id: Type.String(),
  ...fields,
  version: Type.Integer({ minimum: 1 }),
  createdAt: Timestamp('When the server stored it.'),
  updatedAt: Timestamp('When it last changed.'),
});

export const UserList = Type.Object({
  items: Type.Array(User),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }),
});

export const USER_SORTS = ['username', '-username', 'createdAt', '-createdAt'] as const;

export const UserListQuery = strictObject({
  sort: Type.Optional(
    stringEnum(USER_SORTS, { description: 'Ties are broken by id. Default: creation order.' }),
  ),
  limit: Type.Optional(Limit),
  cursor: Type.Optional(Cursor),
});
