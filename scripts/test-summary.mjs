// Prints the one-line test summary CI ends with: `N passed, N failed, N skipped`.
// Counts every test in Vitest's JSON report, plus the CI checks (install, lint, typecheck, build)
// passed on the command line, so a failing check cannot hide behind green tests.
import { readFileSync } from 'node:fs';

const [file, checksPassed = '0', checksFailed = '0'] = process.argv.slice(2);
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`could not read the test report ${file}: ${error.message}`);
  report = {
    numPassedTests: 0,
    numFailedTests: 1,
    numPendingTests: 0,
    numTodoTests: 0,
    testResults: [],
  };
}
// A file that fails to load (syntax error, failing beforeAll) has no test counted as failed.
const brokenFiles = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && (r.assertionResults ?? []).every((a) => a.status !== 'failed'),
).length;
const passed = report.numPassedTests + Number(checksPassed);
const failed = report.numFailedTests + brokenFiles + Number(checksFailed);
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
