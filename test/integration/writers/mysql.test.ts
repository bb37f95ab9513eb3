/** The MariaDB/MySQL writer: the shared writer suite. */
import { runWriterSuite } from './writer-suite.js';
import { mysqlSetup } from './stores.js';

runWriterSuite(await mysqlSetup());
