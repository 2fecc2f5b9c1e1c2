import { describe, expect, it } from 'vitest';
import { applyMask, maskCitizenId, maskName } from './index.ts';

describe('masking', () => {
  it('keeps the first 6 and last 4 of a citizen ID', () => {
    expect(maskCitizenId('11010519491231002X')).toBe('110105********002X');
    expect(maskCitizenId('110105491231002')).toBe('110105*****1002');
  });

  it('keeps the surname, whole for compound surnames', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张小三')).toBe('张**');
    expect(maskName('欧阳修文')).toBe('欧阳**');
    expect(maskName('司马相如')).toBe('司马**');
    expect(maskName('诸葛亮明')).toBe('诸葛**');
    expect(maskName('欧阳')).toBe('欧*'); // two characters: a surname 欧 and a given name 阳
    expect(maskName('王')).toBe('*');
  });

  it('masks each part of a transcribed name', () => {
    expect(maskName('买买提·艾力')).toBe('买**·艾*');
    expect(maskName('阿卜杜拉•买买提')).toBe('阿***·买**');
    expect(maskName('热依拉·木')).toBe('热**·*');
  });

  it('masks a Latin name word by word', () => {
    expect(maskName('John Smith')).toBe('J*** S****');
  });

  it('applies catalog rules', () => {
    expect(applyMask('13800138000', { kind: 'keep', first: 3, last: 4 })).toBe('138****8000');
    expect(applyMask('abc', { kind: 'full' })).toBe('***');
    expect(applyMask('张三', { kind: 'name' })).toBe('张*');
    expect(applyMask('11010519491231002X', { kind: 'citizen_id' })).toBe('110105********002X');
    expect(applyMask('公开', { kind: 'none' })).toBe('公开');
  });

  it('never shows the whole of a value too short for its rule', () => {
    expect(applyMask('1234', { kind: 'keep', first: 3, last: 4 })).toBe('1***');
  });
});
