/** The server the tests use: `MYSQL_URL` without a database, or the local MariaDB. */
export const SERVER_URL = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
/** The database the tests create, use and drop. */
export const TEST_DATABASE = `berth_mysql${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
/** A berth URL for the test database. */
export const TEST_URL = `${SERVER_URL.replace(/\/+$/, '')}/${TEST_DATABASE}`;
