import { Type } from '@sinclair/typebox';
import { strictObject } from './common.js';

export const DepartmentParams = strictObject({ department: Type.String({ minLength: 1, maxLength: 100 }) });

export const RaiseBody = strictObject({
  percent: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: '0 < percent <= 100' }),
});

export const RaiseResult = Type.Object({ updated: Type.Integer({ minimum: 0 }) });
