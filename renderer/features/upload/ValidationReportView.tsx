/**
 * A validation report: how the file's columns disagree with the target (appending), how many rows
 * broke each rule, and the first violations with their line, column and value — all as text.
 */
import type { RuleName, ValidationReport } from '../../../shared/ingest';
import { formatCount } from '../../format';

const ruleLabels: Record<RuleName, string> = {
  required: 'required',
  unique: 'unique',
  type: 'type',
  min: 'min',
  max: 'max',
  pattern: 'pattern',
  allowed: 'allowed values',
  'column-type': 'column type',
  'field-count': 'field count',
};

export function ValidationReportView({ report }: { report: ValidationReport }) {
  const shown = report.violations.length;
  const total = report.counts.reduce((sum, c) => sum + c.count, 0);
  return (
    <div className="upload-report-body">
      {report.schemaIssues.length > 0 && (
        <div className="report-section">
          <h3>The file does not fit the target</h3>
          <ul className="schema-issues" data-testid="upload-schema-issues">
            {report.schemaIssues.map((issue) => (
              <li key={`${issue.column}:${issue.message}`}>
                <span className="mono strong">{issue.column}</span>: {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {report.counts.length > 0 && (
        <div className="report-section">
          <h3>Broken rules</h3>
          <table className="report-table counts-table" data-testid="upload-rule-counts">
            <thead>
              <tr>
                <th>Rule</th>
                <th>Column</th>
                <th className="num">Violations</th>
              </tr>
            </thead>
            <tbody>
              {report.counts.map((c) => (
                <tr key={`${c.rule}:${c.column ?? ''}`}>
                  <td>{ruleLabels[c.rule]}</td>
                  <td className="mono">{c.column ?? '(whole row)'}</td>
                  <td className="num tabular">{formatCount(c.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown > 0 && (
        <div className="report-section">
          <h3>
            {shown < total
              ? `First ${formatCount(shown)} of ${formatCount(total)} violations`
              : `${formatCount(shown)} violation${shown === 1 ? '' : 's'}`}
          </h3>
          <div className="violations-scroll">
            <table className="report-table" data-testid="upload-violations">
              <thead>
                <tr>
                  <th className="num">Line</th>
                  <th>Column</th>
                  <th>Value</th>
                  <th>Rule</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {report.violations.map((v, i) => (
                  <tr key={i} data-testid="upload-violation" data-line={v.line}>
                    <td className="num tabular">{formatCount(v.line)}</td>
                    <td className="mono">{v.column ?? '(whole row)'}</td>
                    <td className="mono violation-value" title={v.value ?? 'NULL'}>
                      {v.value === null ? <span className="cell-null">NULL</span> : v.value}
                    </td>
                    <td>{ruleLabels[v.rule]}</td>
                    <td className="violation-message">{v.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}
