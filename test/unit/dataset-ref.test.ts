import { describe, expect, it } from 'vitest';
import {
  formatDatasetPath,
  formatRef,
  parseRefText,
  splitDatasetPath,
} from '../../shared/dataset-ref.js';

describe('parseRefText', () => {
  it('splits CONNECTION#DATASET', () => {
    expect(parseRefText('Demo#main.sales')).toEqual({
      connection: 'Demo',
      dataset: ['main', 'sales'],
    });
    expect(parseRefText('Demo#sales')).toEqual({ connection: 'Demo', dataset: ['sales'] });
  });

  it('has no dataset without a # or with nothing after it', () => {
    expect(parseRefText('Demo (SQLite)')).toEqual({
      connection: 'Demo (SQLite)',
      dataset: undefined,
    });
    expect(parseRefText('Demo#')).toEqual({ connection: 'Demo', dataset: undefined });
  });

  it('keeps URLs whole, splitting at the last #', () => {
    expect(parseRefText('sqlite:/tmp/shop.db#main.sales')).toEqual({
      connection: 'sqlite:/tmp/shop.db',
      dataset: ['main', 'sales'],
    });
    expect(parseRefText('sqlite:a#b.db#t')).toEqual({
      connection: 'sqlite:a#b.db',
      dataset: ['t'],
    });
  });
});

describe('splitDatasetPath', () => {
  it('honours quotes around parts holding dots or quotes', () => {
    expect(splitDatasetPath('main."odd.name"')).toEqual(['main', 'odd.name']);
    expect(splitDatasetPath('"say ""hi"""')).toEqual(['say "hi"']);
  });

  it('drops empty parts', () => {
    expect(splitDatasetPath('main..sales.')).toEqual(['main', 'sales']);
  });
});

describe('formatDatasetPath', () => {
  it.each([
    [['main', 'sales']],
    [['main', 'odd.name']],
    [['main', 'say "hi"']],
    [['schéma', '東京 <img src=x>']],
  ])('round-trips %j through splitDatasetPath', (path) => {
    expect(splitDatasetPath(formatDatasetPath(path))).toEqual(path);
  });

  it('quotes only when needed', () => {
    expect(formatDatasetPath(['main', 'sales'])).toBe('main.sales');
    expect(formatRef('Demo', ['main', 'a.b'])).toBe('Demo#main."a.b"');
  });
});
