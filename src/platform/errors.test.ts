import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError, parseWith, RuleViolationError, ValidationError } from './errors.ts';
import { msg } from './i18n/index.ts';
import { reason, reasonIssue } from './reasons.ts';

function refusal(schema: z.ZodType, input: unknown): ValidationError {
  try {
    parseWith(schema, input);
  } catch (err) {
    if (err instanceof ValidationError) {
      return err;
    }
    throw err;
  }
  throw new Error('not refused');
}

describe('error catalogue', () => {
  it('turns the first zod issue into "field: message" with the value and the rule', () => {
    const schema = z.object({ values: z.array(z.string().max(3)) });
    let error: unknown;
    try {
      parseWith(schema, { values: ['ok', 'too long'] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).toBody()).toEqual({
      error: 'validation_failed',
      message: 'values.1: at most 3 characters',
      field: 'values.1',
      value: 'too long',
      rule: 'too_big',
    });
  });

  it('answers a hidden thing exactly like a missing one', () => {
    expect(new NotFoundError().toBody()).toEqual({ error: 'not_found', message: 'Not found or no access' });
  });

  it('names the rule of a refusal', () => {
    const err = new RuleViolationError('a punishment list type needs removal conditions', {
      field: 'removalConditions',
      rule: 'D49.removal_conditions',
    });
    expect(err.status).toBe(422);
    expect(err.toBody()).toMatchObject({ error: 'rule_violation', rule: 'D49.removal_conditions' });
  });

  it("says why in the reader's language: a schema's reason from the catalogue, zod's own in zod's words", () => {
    const schema = z.strictObject({
      totp: z.string().regex(/^\d{6}$/, reason('auth.reason.totp')),
      count: z.number().optional(),
      year: z
        .number()
        .optional()
        .refine((y) => y !== 0, reasonIssue(msg('audit.reason.year_zero'))),
    });
    const schemaReason = refusal(schema, { totp: '12' });
    expect(schemaReason.message).toBe('totp: six digits, as the authenticator app shows them');
    expect(schemaReason.toBody('zh-CN')).toEqual({
      error: 'validation_failed',
      message: 'totp：六位数字，即身份验证器应用显示的验证码',
      field: 'totp',
      rule: 'invalid_format',
    });
    const zodOwn = refusal(schema, { totp: '123456', count: 'one' });
    expect(zodOwn.message).toBe('count: Invalid input: expected number, received string');
    expect(zodOwn.messageIn('zh-CN')).toBe('count：无效输入：期望 数字，实际接收 string');
    const refined = refusal(schema, { totp: '123456', year: 0 });
    expect([refined.messageIn('en'), refined.messageIn('zh-CN')]).toEqual([
      'year: year 0 is not a year',
      'year：不存在公元 0 年',
    ]);
    // Words not in the catalogue stay as written, in every language.
    const plain = refusal(z.object({ name: z.string().min(2, 'too short') }), { name: 'x' });
    expect(plain.messageIn('zh-CN')).toBe('name: too short');
  });
});
