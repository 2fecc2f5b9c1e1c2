import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NotFoundError, parseWith, RuleViolationError, ValidationError } from './errors.ts';

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
      message: 'values.1: Too big: expected string to have <=3 characters',
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
});
