/** The Redis writer: the non-SQL writer suite against a unique key prefix in database 11. */
import { redisSetup } from './stores.js';
import { runNonSqlWriterSuite } from './suite.js';

runNonSqlWriterSuite(await redisSetup());
