/**
 * The upload dialog: one modal, its five steps named at the top (File → Columns → Target → Rules
 * → Load), each reachable once the steps before it are complete, and the step's actions at the
 * bottom. Closing is refused while an upload runs: Cancel it first.
 */
import { useEffect, useRef } from 'react';
import type { ConnectionInfo, DatasetRef } from '../../../shared/model';
import { ColumnsStep } from './ColumnsStep';
import { FileStep } from './FileStep';
import { LoadStep } from './LoadStep';
import { RulesStep } from './RulesStep';
import { TargetStep } from './TargetStep';
import { baseName, steps, type StepId, type UploadSeed } from './uploadModel';
import { useUploadWizard } from './useUploadWizard';
import '../../styles/upload.css';

interface Props {
  seed: UploadSeed;
  onClose: () => void;
  onLoaded: (ref: DatasetRef) => void;
  onOpenDataset: (connection: ConnectionInfo, path: string[]) => void;
}

const order: StepId[] = steps.map((s) => s.id);

export function UploadWizard({ seed, onClose, onLoaded, onOpenDataset }: Props) {
  const wizard = useUploadWizard(seed);
  const { step, setStep, problems, ingest } = wizard;
  const running = ingest.job.phase !== 'idle' && ingest.job.phase !== 'done';
  const stepIndex = order.indexOf(step);
  // The first step (in order) that still has something to fix; later ones cannot be reached.
  const blockedAt = order.findIndex((id) => id !== 'load' && problems[id].length > 0);
  const reachable = (i: number) =>
    !running &&
    (blockedAt < 0 || i <= blockedAt) &&
    (order[i] !== 'load' || ingest.job.phase !== 'idle');

  // Tell the window a dataset changed once, when a load (not a check) has committed.
  const reported = useRef<string>(undefined);
  const { status, plan } = ingest.job;
  useEffect(() => {
    if (!plan || status?.state !== 'loaded' || reported.current === status.jobId) return;
    reported.current = status.jobId;
    onLoaded(plan.target);
  }, [status, plan, onLoaded]);

  const close = () => {
    if (!running) onClose();
  };
  const next = () => {
    const following = order[stepIndex + 1];
    if (following && reachable(stepIndex + 1)) setStep(following);
  };
  const fileName = wizard.sniff.result
    ? baseName(wizard.sniff.result.file)
    : (seed.fileName ?? (wizard.path ? baseName(wizard.path) : ''));
  const here = step !== 'load' ? problems[step] : [];

  return (
    <div className="modal-backdrop">
      <div
        className="dialog upload-dialog"
        role="dialog"
        aria-label="Upload a CSV"
        data-testid="upload-dialog"
        data-step={step}
        onKeyDown={(event) => event.key === 'Escape' && close()}
      >
        <header className="upload-head">
          <h2>Upload a CSV</h2>
          {fileName && <span className="mono muted upload-file-name">{fileName}</span>}
          <span className="spacer" />
          <button
            type="button"
            className="icon-button"
            aria-label="Close"
            title={running ? 'Cancel the upload first' : 'Close'}
            disabled={running}
            onClick={close}
          >
            ×
          </button>
        </header>
        <ol className="upload-steps" aria-label="Steps">
          {steps.map((s, i) => (
            <li key={s.id}>
              <button
                type="button"
                className={i === stepIndex ? 'current' : i < stepIndex ? 'done' : undefined}
                aria-current={i === stepIndex ? 'step' : undefined}
                data-testid={`upload-step-${s.id}`}
                disabled={i !== stepIndex && !reachable(i)}
                onClick={() => setStep(s.id)}
              >
                <span className="step-number">{i < stepIndex ? '✓' : i + 1}</span>
                {s.label}
              </button>
            </li>
          ))}
        </ol>
        <div className="upload-body">
          {step === 'file' && <FileStep wizard={wizard} note={seed.note} />}
          {step === 'columns' && <ColumnsStep wizard={wizard} />}
          {step === 'target' && <TargetStep wizard={wizard} />}
          {step === 'rules' && <RulesStep wizard={wizard} />}
          {step === 'load' && <LoadStep wizard={wizard} onOpenDataset={onOpenDataset} />}
        </div>
        <footer className="upload-foot">
          {here.length > 0 && step !== 'columns' && step !== 'rules' && (
            <span className="muted small">{here[0]}</span>
          )}
          <span className="spacer" />
          {stepIndex > 0 && (
            <button
              type="button"
              data-testid="upload-back"
              disabled={running}
              onClick={() => {
                if (step === 'load') ingest.reset();
                setStep(order[stepIndex - 1] ?? 'file');
              }}
            >
              Back
            </button>
          )}
          {step === 'rules' && (
            <button
              type="button"
              data-testid="upload-dry-run"
              disabled={here.length > 0}
              title="Read and check every row; write nothing"
              onClick={() => wizard.startLoad(true)}
            >
              Check only
            </button>
          )}
          {step === 'rules' && (
            <button
              type="button"
              className="primary"
              data-testid="upload-start"
              disabled={here.length > 0}
              onClick={() => wizard.startLoad(false)}
            >
              Start upload
            </button>
          )}
          {(step === 'file' || step === 'columns' || step === 'target') && (
            <button
              type="button"
              className="primary"
              data-testid="upload-next"
              disabled={here.length > 0}
              onClick={next}
            >
              Next
            </button>
          )}
          {step === 'load' && (
            <button type="button" disabled={running} onClick={close}>
              Close
            </button>
          )}
        </footer>
      </div>
    </div>
  );
}
