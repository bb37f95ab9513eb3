/** The PostgreSQL writer: the shared writer suite. */
import { runWriterSuite } from './writer-suite.js';
import { postgresSetup } from './stores.js';

runWriterSuite(await postgresSetup());
