// Generated from GET /openapi.json by openapi-typescript: `pnpm --filter @berth/api openapi:types`.
// Do not edit; test/openapi/openapi.test.ts fails when this file is not what the document generates.
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the database answers, and the state of the connection pool */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics: pool gauges, pool acquire time, HTTP requests */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/employees": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List employees, filtered, sorted and paged by cursor */
        get: operations["listEmployees"];
        put?: never;
        /** Create an employee */
        post: operations["createEmployee"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/employees/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every employee matching the list filters, as NDJSON, streamed with constant memory
         * @description One JSON employee per line (`application/x-ndjson`), in the order of `sort` (ties broken by id). The rows are read in keyset batches of 500, each on a connection taken and given back, so memory stays constant and a slow client never holds a pooled connection. A database failure after the first line cannot change the status any more: the response then ends early, without its last newline-terminated line, and the client must treat a body that does not end with a newline as cut.
         */
        get: operations["exportEmployees"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/employees/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create 1 to 1000 employees at once: all of them, or none */
        post: operations["createEmployees"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/employees/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one employee */
        get: operations["getEmployee"];
        put?: never;
        post?: never;
        /** Delete an employee */
        delete: operations["deleteEmployee"];
        options?: never;
        head?: never;
        /** Change some fields of an employee */
        patch: operations["updateEmployee"];
        trace?: never;
    };
    "/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users, sorted and paged by cursor */
        get: operations["listUsers"];
        put?: never;
        /** Create a user */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one user */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /** Delete a user */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /** Change some fields of a user */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/departments/{department}/raise": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Raise every salary of a department by a percentage, atomically
         * @description A raise that would take any salary above 1,000,000,000 is refused with 409 CONFLICT and changes nothing. The raise is one set-based statement (salary = round(salary * (1 + percent/100)), halves up, computed exactly), so a department of any size is raised at once. A percent with more than 5 decimal places is refused with 400.
         */
        post: operations["raiseDepartment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/departments/{department}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A department's head count, total and average salary, from one aggregate query */
        get: operations["getDepartmentStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description An error */
        Error: {
            error: {
                /**
                 * @description VALIDATION, NOT_FOUND, CONFLICT, PRECONDITION_FAILED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, IDEMPOTENCY_KEY_IN_USE (409), IDEMPOTENCY_KEY_REUSED (422), UNAVAILABLE, NOT_IMPLEMENTED, OUTCOME_UNKNOWN (500: a write whose commit outcome could not be learned; it may or may not have been applied, read before retrying) or INTERNAL
                 * @example VALIDATION
                 */
                code: string;
                message: string;
                details?: {
                    field?: string;
                    message: string;
                }[];
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The database answered; the pool state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok",
                     *       "backend": "pglite",
                     *       "pool": {
                     *         "max": 1,
                     *         "total": 1,
                     *         "idle": 1,
                     *         "inUse": 1,
                     *         "waiting": 1
                     *       },
                     *       "error": "string"
                     *     }
                     */
                    "application/json": {
                        status: "ok" | "unavailable";
                        /** @example pglite */
                        backend: string;
                        pool: {
                            max: number;
                            total: number;
                            idle: number;
                            inUse: number;
                            waiting: number;
                        };
                        error?: string;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database answered; the pool state */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok",
                     *       "backend": "pglite",
                     *       "pool": {
                     *         "max": 1,
                     *         "total": 1,
                     *         "idle": 1,
                     *         "inUse": 1,
                     *         "waiting": 1
                     *       },
                     *       "error": "string"
                     *     }
                     */
                    "application/json": {
                        status: "ok" | "unavailable";
                        /** @example pglite */
                        backend: string;
                        pool: {
                            max: number;
                            total: number;
                            idle: number;
                            inUse: number;
                            waiting: number;
                        };
                        error?: string;
                    };
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example # TYPE db_pool_timeouts_total counter
                     *     db_pool_timeouts_total 0
                     */
                    "text/plain": string;
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEmployees: {
        parameters: {
            query?: {
                department?: string;
                active?: boolean;
                /** @description Inclusive. */
                minSalary?: number;
                /** @description Inclusive. */
                maxSalary?: number;
                /** @description Ties are broken by id. Default: creation order. */
                sort?: "name" | "-name" | "salary" | "-salary" | "hiredAt" | "-hiredAt" | "createdAt" | "-createdAt";
                /** @description Page size. */
                limit?: number;
                /** @description Opaque: the `nextCursor` of the previous page, with the same filters and sort. */
                cursor?: string;
                /** @description `manager`: each employee also carries `manager`, the user `managerId` names (or null), read in one more query whatever the number of employees. Without it the response is as before. */
                include?: "manager";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of employees and the next cursor */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "string",
                     *           "name": "string",
                     *           "email": "ada@example.com",
                     *           "department": "string",
                     *           "salary": 1,
                     *           "active": true,
                     *           "hiredAt": "2024-03-01T09:00:00Z",
                     *           "managerId": "string",
                     *           "version": 1,
                     *           "createdAt": "2024-03-01T09:00:00.000Z",
                     *           "updatedAt": "2024-03-01T09:00:00.000Z",
                     *           "manager": {
                     *             "id": "string",
                     *             "username": "string",
                     *             "displayName": "string",
                     *             "email": "ada@example.com",
                     *             "version": 1,
                     *             "createdAt": "2024-03-01T09:00:00.000Z",
                     *             "updatedAt": "2024-03-01T09:00:00.000Z"
                     *           }
                     *         }
                     *       ],
                     *       "nextCursor": "string"
                     *     }
                     */
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            /**
                             * Format: email
                             * @example ada@example.com
                             */
                            email: string;
                            department: string;
                            salary: number;
                            /** @description Default true. */
                            active: boolean;
                            /**
                             * Format: date-time
                             * @example 2024-03-01T09:00:00Z
                             */
                            hiredAt: string;
                            /** @description The id of the user who manages this employee, or null (the default). A user's id, or a 400. */
                            managerId: string | null;
                            version: number;
                            /**
                             * Format: date-time
                             * @description When the server stored it.
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description When it last changed.
                             */
                            updatedAt: string;
                            /** @description Only with `?include=manager`: the user managerId names. */
                            manager?: {
                                id: string;
                                username: string;
                                displayName: string;
                                /**
                                 * Format: email
                                 * @example ada@example.com
                                 */
                                email: string;
                                version: number;
                                /**
                                 * Format: date-time
                                 * @description When the server stored it.
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @description When it last changed.
                                 */
                                updatedAt: string;
                            } | null;
                        }[];
                        /** @description null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEmployee: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 1 to 255 visible ASCII characters, unique per intended write. Stored with the write in its transaction for `IDEMPOTENCY_TTL_S` seconds (default 24 h): a retry with the same key, method, path and body replays the first response with `Idempotency-Replayed: true` and writes nothing; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is in progress, 409 IDEMPOTENCY_KEY_IN_USE. Failed requests are not stored. Its syntax is checked by the route (400 VALIDATION).
                 * @example 3f1c9b0e-8d7a-4f4e-9a51-1c2b3d4e5f60
                 */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /**
                     * Format: email
                     * @example ada@example.com
                     */
                    email: string;
                    department: string;
                    salary: number;
                    /** @description Default true. */
                    active?: boolean;
                    /**
                     * Format: date-time
                     * @example 2024-03-01T09:00:00Z
                     */
                    hiredAt: string;
                    /** @description The id of the user who manages this employee, or null (the default). A user's id, or a 400. */
                    managerId?: string | null;
                };
            };
        };
        responses: {
            /** @description Created: the stored employee */
            201: {
                headers: {
                    location?: string;
                    etag?: string;
                    /** @description Present on a response replayed from a stored Idempotency-Key; nothing was written again. */
                    "idempotency-replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "string",
                     *       "name": "string",
                     *       "email": "ada@example.com",
                     *       "department": "string",
                     *       "salary": 1,
                     *       "active": true,
                     *       "hiredAt": "2024-03-01T09:00:00Z",
                     *       "managerId": "string",
                     *       "version": 1,
                     *       "createdAt": "2024-03-01T09:00:00.000Z",
                     *       "updatedAt": "2024-03-01T09:00:00.000Z",
                     *       "manager": {
                     *         "id": "string",
                     *         "username": "string",
                     *         "displayName": "string",
                     *         "email": "ada@example.com",
                     *         "version": 1,
                     *         "createdAt": "2024-03-01T09:00:00.000Z",
                     *         "updatedAt": "2024-03-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        id: string;
                        name: string;
                        /**
                         * Format: email
                         * @example ada@example.com
                         */
                        email: string;
                        department: string;
                        salary: number;
                        /** @description Default true. */
                        active: boolean;
                        /**
                         * Format: date-time
                         * @example 2024-03-01T09:00:00Z
                         */
                        hiredAt: string;
                        /** @description The id of the user who manages this employee, or null (the default). A user's id, or a 400. */
                        managerId: string | null;
                        version: number;
                        /**
                         * Format: date-time
                         * @description When the server stored it.
                         */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description When it last changed.
                         */
                        updatedAt: string;
                        /** @description Only with `?include=manager`: the user managerId names. */
                        manager?: {
                            id: string;
                            username: string;
                            displayName: string;
                            /**
                             * Format: email
                             * @example ada@example.com
                             */
                            email: string;
                            version: number;
                            /**
                             * Format: date-time
                             * @description When the server stored it.
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description When it last changed.
                             */
                            updatedAt: string;
                        } | null;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A conflict (CONFLICT: a unique value taken, or a bound the operation states) or the Idempotency-Key is in use by a request in progress (IDEMPOTENCY_KEY_IN_USE); nothing changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "CONFLICT",
                     *         "message": "email is already taken"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is over 1 MiB (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "PAYLOAD_TOO_LARGE",
                     *         "message": "body too large"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNSUPPORTED_MEDIA_TYPE",
                     *         "message": "only application/json bodies are accepted"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The Idempotency-Key was used with another request (IDEMPOTENCY_KEY_REUSED); nothing changed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "IDEMPOTENCY_KEY_REUSED",
                     *         "message": "this Idempotency-Key was used with another request"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description OUTCOME_UNKNOWN: the commit may or may not have been applied (read before retrying); or INTERNAL, a bug */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "OUTCOME_UNKNOWN",
                     *         "message": "the database went away while committing: the write may or may not have been applied"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportEmployees: {
        parameters: {
            query?: {
                department?: string;
                active?: boolean;
                /** @description Inclusive. */
                minSalary?: number;
                /** @description Inclusive. */
                maxSalary?: number;
                /** @description Ties are broken by id. Default: creation order. */
                sort?: "name" | "-name" | "salary" | "-salary" | "hiredAt" | "-hiredAt" | "createdAt" | "-createdAt";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newline-delimited JSON: one employee (as in `GET /employees/{id}`) per line. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "string",
                     *       "name": "string",
                     *       "email": "ada@example.com",
                     *       "department": "string",
                     *       "salary": 1,
                     *       "active": true,
                     *       "hiredAt": "2024-03-01T09:00:00Z",
                     *       "managerId": "string",
                     *       "version": 1,
                     *       "createdAt": "2024-03-01T09:00:00.000Z",
                     *       "updatedAt": "2024-03-01T09:00:00.000Z",
                     *       "manager": {
                     *         "id": "string",
                     *         "username": "string",
                     *         "displayName": "string",
                     *         "email": "ada@example.com",
                     *         "version": 1,
                     *         "createdAt": "2024-03-01T09:00:00.000Z",
                     *         "updatedAt": "2024-03-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/x-ndjson": {
                        id: string;
                        name: string;
                        /**
                         * Format: email
                         * @example ada@example.com
                         */
                        email: string;
                        department: string;
                        salary: number;
                        /** @description Default true. */
                        active: boolean;
                        /**
                         * Format: date-time
                         * @example 2024-03-01T09:00:00Z
                         */
                        hiredAt: string;
                        /** @description The id of the user who manages this employee, or null (the default). A user's id, or a 400. */
                        managerId: string | null;
                        version: number;
                        /**
                         * Format: date-time
                         * @description When the server stored it.
                         */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description When it last changed.
                         */
                        updatedAt: string;
                        /** @description Only with `?include=manager`: the user managerId names. */
                        manager?: {
                            id: string;
                            username: string;
                            displayName: string;
                            /**
                             * Format: email
                             * @example ada@example.com
                             */
                            email: string;
                            version: number;
                            /**
                             * Format: date-time
                             * @description When the server stored it.
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description When it last changed.
                             */
                            updatedAt: string;
                        } | null;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEmployees: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 1 to 255 visible ASCII characters, unique per intended write. Stored with the write in its transaction for `IDEMPOTENCY_TTL_S` seconds (default 24 h): a retry with the same key, method, path and body replays the first response with `Idempotency-Replayed: true` and writes nothing; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is in progress, 409 IDEMPOTENCY_KEY_IN_USE. Failed requests are not stored. Its syntax is checked by the route (400 VALIDATION).
                 * @example 3f1c9b0e-8d7a-4f4e-9a51-1c2b3d4e5f60
                 */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /**
                     * Format: email
                     * @example ada@example.com
                     */
                    email: string;
                    department: string;
                    salary: number;
                    /** @description Default true. */
                    active?: boolean;
                    /**
                     * Format: date-time
                     * @example 2024-03-01T09:00:00Z
                     */
                    hiredAt: string;
                    /** @description The id of the user who manages this employee, or null (the default). A user's id, or a 400. */
                    managerId?: string | null;
                }[];
            };
        };
        responses: {
            /** @description Created: every employee, in order */
            201: {
                headers: {
                    /** @description Present on a response replayed from a stored Idempotency-Key; nothing was written again. */
                    "idempotency-replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "string",
                     *           "name": "string",
                     *           "email": "ada@example.com",
                     *           "department": "string",
                     *           "salary": 1,
                     *           "active": true,
                     *           "hiredAt": "2024-03-01T09:00:00Z",
                     *           "managerId": "string",
                     *           "version": 1,
                     *           "createdAt": "2024-03-01T09:00:00.000Z",
                     *           "updatedAt": "2024-03-01T09:00:00.000Z",
                     *           "manager": {
                     *             "id": "string",
                     *             "username": "string",
                     *             "displayName": "string",
                     *             "email": "ada@example.com",
                     *             "version": 1,
                     *             "createdAt": "2024-03-01T09:00:00.000Z",
                     *             "updatedAt": "2024-03-01T09:00:00.000Z"
                     *           }
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                            /**
                             * Format: email
                             * @example ada@example.com
                             */
                            email: string;
                            department: string;
                            salary: number;
                            /** @description Default true. */
                            active: boolean;
                            /**
                             * Format: date-time
                             * @example 2024-03-01T09:00:00Z
                             */
                            hiredAt: string;
                            /** @description The id of the user who manages this employee, or null (the default). A user's id, or a 400. */
                            managerId: string | null;
                            version: number;
                            /**
                             * Format: date-time
                             * @description When the server stored it.
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description When it last changed.
                             */
                            updatedAt: string;
                            /** @description Only with `?include=manager`: the user managerId names. */
                            manager?: {
                                id: string;
                                username: string;
                                displayName: string;
                                /**
                                 * Format: email
                                 * @example ada@example.com
                                 */
                                email: string;
                                version: number;
                                /**
                                 * Format: date-time
                                 * @description When the server stored it.
                                 */
                                createdAt: string;
                                /**
                                 * Format: date-time
                                 * @description When it last changed.
                                 */
                                updatedAt: string;
                            } | null;
                        }[];
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A conflict (CONFLICT: a unique value taken, or a bound the operation states) or the Idempotency-Key is in use by a request in progress (IDEMPOTENCY_KEY_IN_USE); nothing changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "CONFLICT",
                     *         "message": "email is already taken"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is over 1 MiB (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "PAYLOAD_TOO_LARGE",
                     *         "message": "body too large"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNSUPPORTED_MEDIA_TYPE",
                     *         "message": "only application/json bodies are accepted"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The Idempotency-Key was used with another request (IDEMPOTENCY_KEY_REUSED); nothing changed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "IDEMPOTENCY_KEY_REUSED",
                     *         "message": "this Idempotency-Key was used with another request"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description OUTCOME_UNKNOWN: the commit may or may not have been applied (read before retrying); or INTERNAL, a bug */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "OUTCOME_UNKNOWN",
                     *         "message": "the database went away while committing: the write may or may not have been applied"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getEmployee: {
        parameters: {
            query?: {
                /** @description `manager`: each employee also carries `manager`, the user `managerId` names (or null), read in one more query whatever the number of employees. Without it the response is as before. */
                include?: "manager";
            };
            header?: never;
            path: {
                /** @description The id the server made. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The employee, with its version as ETag */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "string",
                     *       "name": "string",
                     *       "email": "ada@example.com",
                     *       "department": "string",
                     *       "salary": 1,
                     *       "active": true,
                     *       "hiredAt": "2024-03-01T09:00:00Z",
                     *       "managerId": "string",
                     *       "version": 1,
                     *       "createdAt": "2024-03-01T09:00:00.000Z",
                     *       "updatedAt": "2024-03-01T09:00:00.000Z",
                     *       "manager": {
                     *         "id": "string",
                     *         "username": "string",
                     *         "displayName": "string",
                     *         "email": "ada@example.com",
                     *         "version": 1,
                     *         "createdAt": "2024-03-01T09:00:00.000Z",
                     *         "updatedAt": "2024-03-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        id: string;
                        name: string;
                        /**
                         * Format: email
                         * @example ada@example.com
                         */
                        email: string;
                        department: string;
                        salary: number;
                        /** @description Default true. */
                        active: boolean;
                        /**
                         * Format: date-time
                         * @example 2024-03-01T09:00:00Z
                         */
                        hiredAt: string;
                        /** @description The id of the user who manages this employee, or null (the default). A user's id, or a 400. */
                        managerId: string | null;
                        version: number;
                        /**
                         * Format: date-time
                         * @description When the server stored it.
                         */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description When it last changed.
                         */
                        updatedAt: string;
                        /** @description Only with `?include=manager`: the user managerId names. */
                        manager?: {
                            id: string;
                            username: string;
                            displayName: string;
                            /**
                             * Format: email
                             * @example ada@example.com
                             */
                            email: string;
                            version: number;
                            /**
                             * Format: date-time
                             * @description When the server stored it.
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description When it last changed.
                             */
                            updatedAt: string;
                        } | null;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Nothing has this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "NOT_FOUND",
                     *         "message": "no employee with id \"42\""
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteEmployee: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` last seen, `"<version>"`. When the stored version differs: 412, nothing changes. */
                "if-match"?: string;
                /**
                 * @description 1 to 255 visible ASCII characters, unique per intended write. Stored with the write in its transaction for `IDEMPOTENCY_TTL_S` seconds (default 24 h): a retry with the same key, method, path and body replays the first response with `Idempotency-Replayed: true` and writes nothing; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is in progress, 409 IDEMPOTENCY_KEY_IN_USE. Failed requests are not stored. Its syntax is checked by the route (400 VALIDATION).
                 * @example 3f1c9b0e-8d7a-4f4e-9a51-1c2b3d4e5f60
                 */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The id the server made. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    /** @description Present on a response replayed from a stored Idempotency-Key; nothing was written again. */
                    "idempotency-replayed"?: "true";
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Nothing has this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "NOT_FOUND",
                     *         "message": "no employee with id \"42\""
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A conflict (CONFLICT: a unique value taken, or a bound the operation states) or the Idempotency-Key is in use by a request in progress (IDEMPOTENCY_KEY_IN_USE); nothing changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "CONFLICT",
                     *         "message": "email is already taken"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description If-Match names another version than the stored one (PRECONDITION_FAILED); nothing changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "PRECONDITION_FAILED",
                     *         "message": "expected version 3, found 4"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The Idempotency-Key was used with another request (IDEMPOTENCY_KEY_REUSED); nothing changed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "IDEMPOTENCY_KEY_REUSED",
                     *         "message": "this Idempotency-Key was used with another request"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description OUTCOME_UNKNOWN: the commit may or may not have been applied (read before retrying); or INTERNAL, a bug */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "OUTCOME_UNKNOWN",
                     *         "message": "the database went away while committing: the write may or may not have been applied"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateEmployee: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` last seen, `"<version>"`. When the stored version differs: 412, nothing changes. */
                "if-match"?: string;
                /**
                 * @description 1 to 255 visible ASCII characters, unique per intended write. Stored with the write in its transaction for `IDEMPOTENCY_TTL_S` seconds (default 24 h): a retry with the same key, method, path and body replays the first response with `Idempotency-Replayed: true` and writes nothing; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is in progress, 409 IDEMPOTENCY_KEY_IN_USE. Failed requests are not stored. Its syntax is checked by the route (400 VALIDATION).
                 * @example 3f1c9b0e-8d7a-4f4e-9a51-1c2b3d4e5f60
                 */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The id the server made. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /**
                     * Format: email
                     * @example ada@example.com
                     */
                    email?: string;
                    department?: string;
                    salary?: number;
                    /** @description Default true. */
                    active?: boolean;
                    /**
                     * Format: date-time
                     * @example 2024-03-01T09:00:00Z
                     */
                    hiredAt?: string;
                    /** @description The id of the user who manages this employee, or null (the default). A user's id, or a 400. */
                    managerId?: string | null;
                };
            };
        };
        responses: {
            /** @description The changed employee */
            200: {
                headers: {
                    etag?: string;
                    /** @description Present on a response replayed from a stored Idempotency-Key; nothing was written again. */
                    "idempotency-replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "string",
                     *       "name": "string",
                     *       "email": "ada@example.com",
                     *       "department": "string",
                     *       "salary": 1,
                     *       "active": true,
                     *       "hiredAt": "2024-03-01T09:00:00Z",
                     *       "managerId": "string",
                     *       "version": 1,
                     *       "createdAt": "2024-03-01T09:00:00.000Z",
                     *       "updatedAt": "2024-03-01T09:00:00.000Z",
                     *       "manager": {
                     *         "id": "string",
                     *         "username": "string",
                     *         "displayName": "string",
                     *         "email": "ada@example.com",
                     *         "version": 1,
                     *         "createdAt": "2024-03-01T09:00:00.000Z",
                     *         "updatedAt": "2024-03-01T09:00:00.000Z"
                     *       }
                     *     }
                     */
                    "application/json": {
                        id: string;
                        name: string;
                        /**
                         * Format: email
                         * @example ada@example.com
                         */
                        email: string;
                        department: string;
                        salary: number;
                        /** @description Default true. */
                        active: boolean;
                        /**
                         * Format: date-time
                         * @example 2024-03-01T09:00:00Z
                         */
                        hiredAt: string;
                        /** @description The id of the user who manages this employee, or null (the default). A user's id, or a 400. */
                        managerId: string | null;
                        version: number;
                        /**
                         * Format: date-time
                         * @description When the server stored it.
                         */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description When it last changed.
                         */
                        updatedAt: string;
                        /** @description Only with `?include=manager`: the user managerId names. */
                        manager?: {
                            id: string;
                            username: string;
                            displayName: string;
                            /**
                             * Format: email
                             * @example ada@example.com
                             */
                            email: string;
                            version: number;
                            /**
                             * Format: date-time
                             * @description When the server stored it.
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description When it last changed.
                             */
                            updatedAt: string;
                        } | null;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Nothing has this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "NOT_FOUND",
                     *         "message": "no employee with id \"42\""
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A conflict (CONFLICT: a unique value taken, or a bound the operation states) or the Idempotency-Key is in use by a request in progress (IDEMPOTENCY_KEY_IN_USE); nothing changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "CONFLICT",
                     *         "message": "email is already taken"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description If-Match names another version than the stored one (PRECONDITION_FAILED); nothing changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "PRECONDITION_FAILED",
                     *         "message": "expected version 3, found 4"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is over 1 MiB (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "PAYLOAD_TOO_LARGE",
                     *         "message": "body too large"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNSUPPORTED_MEDIA_TYPE",
                     *         "message": "only application/json bodies are accepted"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The Idempotency-Key was used with another request (IDEMPOTENCY_KEY_REUSED); nothing changed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "IDEMPOTENCY_KEY_REUSED",
                     *         "message": "this Idempotency-Key was used with another request"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description OUTCOME_UNKNOWN: the commit may or may not have been applied (read before retrying); or INTERNAL, a bug */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "OUTCOME_UNKNOWN",
                     *         "message": "the database went away while committing: the write may or may not have been applied"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /** @description Ties are broken by id. Default: creation order. */
                sort?: "username" | "-username" | "createdAt" | "-createdAt";
                /** @description Page size. */
                limit?: number;
                /** @description Opaque: the `nextCursor` of the previous page, with the same filters and sort. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of users and the next cursor */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "string",
                     *           "username": "string",
                     *           "displayName": "string",
                     *           "email": "ada@example.com",
                     *           "version": 1,
                     *           "createdAt": "2024-03-01T09:00:00.000Z",
                     *           "updatedAt": "2024-03-01T09:00:00.000Z"
                     *         }
                     *       ],
                     *       "nextCursor": "string"
                     *     }
                     */
                    "application/json": {
                        items: {
                            id: string;
                            username: string;
                            displayName: string;
                            /**
                             * Format: email
                             * @example ada@example.com
                             */
                            email: string;
                            version: number;
                            /**
                             * Format: date-time
                             * @description When the server stored it.
                             */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description When it last changed.
                             */
                            updatedAt: string;
                        }[];
                        /** @description null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 1 to 255 visible ASCII characters, unique per intended write. Stored with the write in its transaction for `IDEMPOTENCY_TTL_S` seconds (default 24 h): a retry with the same key, method, path and body replays the first response with `Idempotency-Replayed: true` and writes nothing; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is in progress, 409 IDEMPOTENCY_KEY_IN_USE. Failed requests are not stored. Its syntax is checked by the route (400 VALIDATION).
                 * @example 3f1c9b0e-8d7a-4f4e-9a51-1c2b3d4e5f60
                 */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    username: string;
                    displayName: string;
                    /**
                     * Format: email
                     * @example ada@example.com
                     */
                    email: string;
                };
            };
        };
        responses: {
            /** @description Created: the stored user */
            201: {
                headers: {
                    location?: string;
                    etag?: string;
                    /** @description Present on a response replayed from a stored Idempotency-Key; nothing was written again. */
                    "idempotency-replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "string",
                     *       "username": "string",
                     *       "displayName": "string",
                     *       "email": "ada@example.com",
                     *       "version": 1,
                     *       "createdAt": "2024-03-01T09:00:00.000Z",
                     *       "updatedAt": "2024-03-01T09:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        id: string;
                        username: string;
                        displayName: string;
                        /**
                         * Format: email
                         * @example ada@example.com
                         */
                        email: string;
                        version: number;
                        /**
                         * Format: date-time
                         * @description When the server stored it.
                         */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description When it last changed.
                         */
                        updatedAt: string;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A conflict (CONFLICT: a unique value taken, or a bound the operation states) or the Idempotency-Key is in use by a request in progress (IDEMPOTENCY_KEY_IN_USE); nothing changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "CONFLICT",
                     *         "message": "email is already taken"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is over 1 MiB (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "PAYLOAD_TOO_LARGE",
                     *         "message": "body too large"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNSUPPORTED_MEDIA_TYPE",
                     *         "message": "only application/json bodies are accepted"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The Idempotency-Key was used with another request (IDEMPOTENCY_KEY_REUSED); nothing changed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "IDEMPOTENCY_KEY_REUSED",
                     *         "message": "this Idempotency-Key was used with another request"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description OUTCOME_UNKNOWN: the commit may or may not have been applied (read before retrying); or INTERNAL, a bug */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "OUTCOME_UNKNOWN",
                     *         "message": "the database went away while committing: the write may or may not have been applied"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id the server made. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user, with its version as ETag */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "string",
                     *       "username": "string",
                     *       "displayName": "string",
                     *       "email": "ada@example.com",
                     *       "version": 1,
                     *       "createdAt": "2024-03-01T09:00:00.000Z",
                     *       "updatedAt": "2024-03-01T09:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        id: string;
                        username: string;
                        displayName: string;
                        /**
                         * Format: email
                         * @example ada@example.com
                         */
                        email: string;
                        version: number;
                        /**
                         * Format: date-time
                         * @description When the server stored it.
                         */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description When it last changed.
                         */
                        updatedAt: string;
                    };
                };
            };
            /** @description Nothing has this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "NOT_FOUND",
                     *         "message": "no employee with id \"42\""
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` last seen, `"<version>"`. When the stored version differs: 412, nothing changes. */
                "if-match"?: string;
                /**
                 * @description 1 to 255 visible ASCII characters, unique per intended write. Stored with the write in its transaction for `IDEMPOTENCY_TTL_S` seconds (default 24 h): a retry with the same key, method, path and body replays the first response with `Idempotency-Replayed: true` and writes nothing; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is in progress, 409 IDEMPOTENCY_KEY_IN_USE. Failed requests are not stored. Its syntax is checked by the route (400 VALIDATION).
                 * @example 3f1c9b0e-8d7a-4f4e-9a51-1c2b3d4e5f60
                 */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The id the server made. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    /** @description Present on a response replayed from a stored Idempotency-Key; nothing was written again. */
                    "idempotency-replayed"?: "true";
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Nothing has this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "NOT_FOUND",
                     *         "message": "no employee with id \"42\""
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A conflict (CONFLICT: a unique value taken, or a bound the operation states) or the Idempotency-Key is in use by a request in progress (IDEMPOTENCY_KEY_IN_USE); nothing changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "CONFLICT",
                     *         "message": "email is already taken"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description If-Match names another version than the stored one (PRECONDITION_FAILED); nothing changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "PRECONDITION_FAILED",
                     *         "message": "expected version 3, found 4"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The Idempotency-Key was used with another request (IDEMPOTENCY_KEY_REUSED); nothing changed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "IDEMPOTENCY_KEY_REUSED",
                     *         "message": "this Idempotency-Key was used with another request"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description OUTCOME_UNKNOWN: the commit may or may not have been applied (read before retrying); or INTERNAL, a bug */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "OUTCOME_UNKNOWN",
                     *         "message": "the database went away while committing: the write may or may not have been applied"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: {
                /** @description The `ETag` last seen, `"<version>"`. When the stored version differs: 412, nothing changes. */
                "if-match"?: string;
                /**
                 * @description 1 to 255 visible ASCII characters, unique per intended write. Stored with the write in its transaction for `IDEMPOTENCY_TTL_S` seconds (default 24 h): a retry with the same key, method, path and body replays the first response with `Idempotency-Replayed: true` and writes nothing; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is in progress, 409 IDEMPOTENCY_KEY_IN_USE. Failed requests are not stored. Its syntax is checked by the route (400 VALIDATION).
                 * @example 3f1c9b0e-8d7a-4f4e-9a51-1c2b3d4e5f60
                 */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The id the server made. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    username?: string;
                    displayName?: string;
                    /**
                     * Format: email
                     * @example ada@example.com
                     */
                    email?: string;
                };
            };
        };
        responses: {
            /** @description The changed user */
            200: {
                headers: {
                    etag?: string;
                    /** @description Present on a response replayed from a stored Idempotency-Key; nothing was written again. */
                    "idempotency-replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "string",
                     *       "username": "string",
                     *       "displayName": "string",
                     *       "email": "ada@example.com",
                     *       "version": 1,
                     *       "createdAt": "2024-03-01T09:00:00.000Z",
                     *       "updatedAt": "2024-03-01T09:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        id: string;
                        username: string;
                        displayName: string;
                        /**
                         * Format: email
                         * @example ada@example.com
                         */
                        email: string;
                        version: number;
                        /**
                         * Format: date-time
                         * @description When the server stored it.
                         */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description When it last changed.
                         */
                        updatedAt: string;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Nothing has this id (NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "NOT_FOUND",
                     *         "message": "no employee with id \"42\""
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A conflict (CONFLICT: a unique value taken, or a bound the operation states) or the Idempotency-Key is in use by a request in progress (IDEMPOTENCY_KEY_IN_USE); nothing changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "CONFLICT",
                     *         "message": "email is already taken"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description If-Match names another version than the stored one (PRECONDITION_FAILED); nothing changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "PRECONDITION_FAILED",
                     *         "message": "expected version 3, found 4"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is over 1 MiB (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "PAYLOAD_TOO_LARGE",
                     *         "message": "body too large"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNSUPPORTED_MEDIA_TYPE",
                     *         "message": "only application/json bodies are accepted"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The Idempotency-Key was used with another request (IDEMPOTENCY_KEY_REUSED); nothing changed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "IDEMPOTENCY_KEY_REUSED",
                     *         "message": "this Idempotency-Key was used with another request"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description OUTCOME_UNKNOWN: the commit may or may not have been applied (read before retrying); or INTERNAL, a bug */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "OUTCOME_UNKNOWN",
                     *         "message": "the database went away while committing: the write may or may not have been applied"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    raiseDepartment: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 1 to 255 visible ASCII characters, unique per intended write. Stored with the write in its transaction for `IDEMPOTENCY_TTL_S` seconds (default 24 h): a retry with the same key, method, path and body replays the first response with `Idempotency-Replayed: true` and writes nothing; the same key with another request is 422 IDEMPOTENCY_KEY_REUSED; while the first is in progress, 409 IDEMPOTENCY_KEY_IN_USE. Failed requests are not stored. Its syntax is checked by the route (400 VALIDATION).
                 * @example 3f1c9b0e-8d7a-4f4e-9a51-1c2b3d4e5f60
                 */
                "idempotency-key"?: string;
            };
            path: {
                department: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description 0 < percent <= 100 */
                    percent: number;
                };
            };
        };
        responses: {
            /** @description Every salary of the department raised; how many employees changed */
            200: {
                headers: {
                    /** @description Present on a response replayed from a stored Idempotency-Key; nothing was written again. */
                    "idempotency-replayed"?: "true";
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "updated": 1
                     *     }
                     */
                    "application/json": {
                        updated: number;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A conflict (CONFLICT: a unique value taken, or a bound the operation states) or the Idempotency-Key is in use by a request in progress (IDEMPOTENCY_KEY_IN_USE); nothing changed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "CONFLICT",
                     *         "message": "email is already taken"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is over 1 MiB (PAYLOAD_TOO_LARGE) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "PAYLOAD_TOO_LARGE",
                     *         "message": "body too large"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not application/json (UNSUPPORTED_MEDIA_TYPE) */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNSUPPORTED_MEDIA_TYPE",
                     *         "message": "only application/json bodies are accepted"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The Idempotency-Key was used with another request (IDEMPOTENCY_KEY_REUSED); nothing changed */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "IDEMPOTENCY_KEY_REUSED",
                     *         "message": "this Idempotency-Key was used with another request"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description OUTCOME_UNKNOWN: the commit may or may not have been applied (read before retrying); or INTERNAL, a bug */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "OUTCOME_UNKNOWN",
                     *         "message": "the database went away while committing: the write may or may not have been applied"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDepartmentStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                department: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The department's head count, total and average salary */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "department": "string",
                     *       "count": 1,
                     *       "totalSalary": 1,
                     *       "averageSalary": 1
                     *     }
                     */
                    "application/json": {
                        department: string;
                        count: number;
                        /** @description The sum of the salaries; 0 for no employees. */
                        totalSalary: number;
                        /** @description The mean salary, not rounded; null for a department with no employees. */
                        averageSalary: number | null;
                    };
                };
            };
            /** @description A parameter, header or body the contract refuses (VALIDATION); nothing changed */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "VALIDATION",
                     *         "message": "body/salary must be >= 0"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "UNAVAILABLE",
                     *         "message": "the database is unavailable"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
