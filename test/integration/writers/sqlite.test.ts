/** The SQLite writer: the shared writer suite, then what only SQLite has (see sqlite-extra). */
import { runWriterSuite } from './writer-suite.js';
import { sqliteSetup } from './stores.js';

runWriterSuite(await sqliteSetup());
