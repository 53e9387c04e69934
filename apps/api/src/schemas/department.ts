import { Type } from '@sinclair/typebox';
import { strictObject } from './common.js';

export const DepartmentParams = strictObject({ department: Type.String({ minLength: 1, maxLength: 100 }) });

export const RaiseBody = strictObject({
  percent: Type.Number({ exclusiveMinimum: 0, maximum: 100, description: '0 < percent <= 100' }),
});

export const RaiseResult = Type.Object({ updated: Type.Integer({ minimum: 0 }) });

export const DepartmentStats = Type.Object(
  {
    department: Type.String(),
    count: Type.Integer({ minimum: 0 }),
    totalSalary: Type.Integer({ minimum: 0, description: 'The sum of the salaries; 0 for no employees.' }),
    averageSalary: Type.Union([Type.Number(), Type.Null()], {
      description: 'The mean salary, not rounded; null for a department with no employees.',
    }),
  },
  { additionalProperties: false },
);
