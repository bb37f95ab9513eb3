/** The folder writer: the non-SQL writer suite against a fresh local folder. */
import { filesSetup } from './stores.js';
import { runNonSqlWriterSuite } from './suite.js';

runNonSqlWriterSuite(filesSetup());
