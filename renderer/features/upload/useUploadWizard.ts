/**
 * The wizard's state: the file and how it was read, the column choices, the target, the rules,
 * and the running upload. Reading the file again (another encoding, delimiter or header choice)
 * starts the column choices afresh, since the columns themselves may have changed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import type { CsvDialect, SniffResult } from '../../../shared/ingest';
import { api, toAppError } from '../../api';
import {
  buildPlan,
  columnProblems,
  columnsFrom,
  defaultDatasetName,
  rejectsPathFor,
  type ColumnChoice,
  type RulesChoice,
  type SniffOverrides,
  type StepId,
  type TargetChoice,
  type UploadSeed,
} from './uploadModel';
import { useAsync } from '../../hooks/useAsync';
import { writeBlocker } from './targetRules';
import { patternError } from './ruleDrafts';
import { useIngestJob } from './useIngestJob';

const listConnections = (signal: AbortSignal) => api.listConnections({}, { signal });

export interface SniffState {
  result?: SniffResult;
  /** The path as typed when it was read. */
  readPath?: string;
  error?: AppError;
  loading: boolean;
}

export type Quoting = Partial<Pick<CsvDialect, 'quote' | 'escape'>>;

/** The target as chosen so far: `container` stays undefined until the connection's tree is known. */
export type WizardTarget = Omit<TargetChoice, 'container'> & { container: string[] | undefined };

/** A seed's dataset (append or replace into it) or folder (create in it). */
function initialTarget(seed: UploadSeed): WizardTarget {
  const path = seed.targetPath;
  const intoDataset = path !== undefined && seed.mode !== undefined && seed.mode !== 'create';
  return {
    connectionId: seed.connectionId ?? '',
    container: path ? (intoDataset ? path.slice(0, -1) : path) : undefined,
    name: intoDataset ? (path[path.length - 1] ?? '') : '',
    mode: seed.mode ?? 'create',
    partitionBy: [],
  };
}

export function useUploadWizard(seed: UploadSeed) {
  const [step, setStep] = useState<StepId>('file');
  const [path, setPath] = useState(seed.filePath ?? seed.fileName ?? '');
  const [overrides, setOverrides] = useState<SniffOverrides>({});
  const [sniff, setSniff] = useState<SniffState>({ loading: false });
  const [quoting, setQuoting] = useState<Quoting>({});
  const [columns, setColumns] = useState<ColumnChoice[]>([]);
  const [key, setKey] = useState<number>();
  const [target, setTarget] = useState<WizardTarget>(() => initialTarget(seed));
  const [rules, setRules] = useState<RulesChoice>({
    byColumn: {},
    policy: 'reject-file',
    rejectsPath: '',
  });
  const ingest = useIngestJob();
  const connectionList = useAsync(listConnections);
  const connections = connectionList.value;
  const connection = connections?.find((c) => c.id === target.connectionId);
  const reads = useRef(0);
  // A name the person typed (or the dataset dropped on) is never replaced by one from the file.
  const nameChosen = useRef(target.name !== '');

  const read = useCallback(async (filePath: string, next: SniffOverrides) => {
    const mine = ++reads.current;
    setSniff((current) => ({ ...current, error: undefined, loading: true }));
    try {
      const result = await api.sniffFile({ path: filePath.trim(), ...next });
      if (reads.current !== mine) return;
      setSniff({ result, readPath: filePath, loading: false });
      setColumns(columnsFrom(result));
      setKey(undefined);
      setQuoting({});
      setTarget((current) => ({
        ...current,
        partitionBy: [],
        ...(nameChosen.current ? {} : { name: defaultDatasetName(result.file) }),
      }));
      setRules((current) => ({
        ...current,
        byColumn: {},
        rejectsPath: rejectsPathFor(result.file),
      }));
    } catch (failure) {
      if (reads.current === mine) setSniff({ error: toAppError(failure), loading: false });
    }
  }, []);

  // A file whose path the host gave (Electron's drop, a pick) is read straight away.
  const initialPath = seed.filePath;
  useEffect(() => {
    if (initialPath) void read(initialPath, {});
  }, [initialPath, read]);

  const reread = (next: SniffOverrides) => {
    setOverrides(next);
    if (path.trim()) void read(path, next);
  };

  const dialect: CsvDialect | undefined = sniff.result && { ...sniff.result.dialect, ...quoting };
  const problems = {
    file: sniff.loading
      ? ['Reading the file…']
      : !sniff.result
        ? ['Read the file first.']
        : sniff.readPath !== path
          ? ['Read the file again: the path has changed.']
          : [],
    columns: columnProblems(columns),
    target: [
      ...(connection ? [] : ['Choose a connection.']),
      ...(connection && writeBlocker(connection)
        ? [`“${connection.name}” cannot take an upload: ${writeBlocker(connection)}.`]
        : []),
      ...(connection && target.container === undefined ? ['Listing the connection…'] : []),
      ...(target.name.trim() ? [] : ['Name the dataset.']),
    ],
    rules: Object.entries(rules.byColumn).flatMap(([index, draft]) => {
      const error = patternError(draft.pattern);
      const name = columns.find((c) => c.index === Number(index))?.name ?? index;
      return error ? [`The pattern for “${name}” is not a regular expression: ${error}`] : [];
    }),
  };

  /** Fills in defaults (connection, folder) without counting as the person's choice. */
  const resolveTarget = useCallback(
    (patch: Partial<WizardTarget>) => setTarget((current) => ({ ...current, ...patch })),
    [],
  );

  const startLoad = (dryRun: boolean) => {
    if (!sniff.result || !dialect) return;
    const plan = buildPlan({
      sniff: sniff.result,
      dialect,
      columns,
      key,
      target: { ...target, container: target.container ?? [] },
      rules,
      dryRun,
    });
    setStep('load');
    void ingest.start(plan);
  };

  return {
    step,
    setStep,
    path,
    setPath,
    overrides,
    reread,
    read: () => void read(path, overrides),
    /** A file picked afresh: its own path, read with no overrides. */
    readNew: (filePath: string) => {
      setPath(filePath);
      setOverrides({});
      void read(filePath, {});
    },
    sniff,
    dialect,
    quoting,
    setQuoting,
    columns,
    setColumns,
    key,
    setKey,
    target,
    setTarget: (next: WizardTarget) => {
      if (next.name !== target.name) nameChosen.current = true;
      setTarget(next);
    },
    resolveTarget,
    connections,
    connection,
    rules,
    setRules,
    problems,
    startLoad,
    ingest,
  };
}

export type UploadWizardState = ReturnType<typeof useUploadWizard>;
