/**
 * The MongoDB writer: the non-SQL writer suite against a fresh database on MONGODB_URL or a
 * mongod on PATH; skipped, loudly, where there is neither (as on the project's machines).
 */
import { mongoSetup } from './stores.js';
import { runNonSqlWriterSuite } from './suite.js';

runNonSqlWriterSuite(await mongoSetup());
