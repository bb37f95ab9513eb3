/** The bucket writer: the non-SQL writer suite against a fresh bucket on s3rver. */
import { s3Setup } from './stores.js';
import { runNonSqlWriterSuite } from './suite.js';

runNonSqlWriterSuite(s3Setup());
