import { describe, expect, it } from 'vitest';
import type { CatalogItem, Field } from '../catalog/index.ts';
import { headingKey, mapColumns } from './ingest.mapping.ts';

const field = (key: string, nameZh: string, required = false): Field => ({
  key,
  nameZh,
  nameEn: key,
  aliases: [],
  type: 'text',
  required,
  personal: false,
  disclosure: 'as_item',
});

const item = {
  code: 'x',
  fields: [field('subject_name', '行政相对人名称', true), field('remarks', '备注')],
} as CatalogItem;

describe('headingKey', () => {
  it('ignores width, spaces, case and the trailing * a template marks required headings with', () => {
    expect(headingKey(' 罚款金额(万元) ')).toBe(headingKey('罚款金额（万元）'));
    expect(headingKey('行政相对人名称*')).toBe('行政相对人名称');
    expect(headingKey('行政相对人名称 ＊')).toBe('行政相对人名称');
    expect(headingKey('Subject_Name**')).toBe('subject_name');
    // Only a trailing mark: a * inside a heading is part of its name.
    expect(headingKey('A*B')).toBe('a*b');
  });
});

describe('mapColumns', () => {
  it('maps marked headings to their fields, so that nothing required is missing', () => {
    const mapping = mapColumns(item, ['行政相对人名称*', '备注']);
    expect(mapping.columns).toEqual([
      { header: '行政相对人名称*', field: 'subject_name' },
      { header: '备注', field: 'remarks' },
    ]);
    expect(mapping.missingRequired).toEqual([]);
    expect(mapping.resolve('备注＊')).toBe('remarks');
  });
});
