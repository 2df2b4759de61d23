import { z } from 'zod';
import type { TypeformAnswer, TypeformFormResponse } from './typeform-payload.schema.js';
import type { TypeformConfig } from './typeform.config.js';

export type AnswerValue = string | number | boolean | string[];

/** The value of one answer, whatever its type; undefined for a type without a readable value. */
export function answerValue(answer: TypeformAnswer): AnswerValue | undefined {
  switch (answer.type) {
    case 'text':
    case 'email':
    case 'url':
    case 'phone_number':
    case 'date':
    case 'file_url':
      return answer[answer.type];
    case 'number':
      return answer.number;
    case 'boolean':
      return answer.boolean;
    case 'choice':
      return answer.choice?.label ?? answer.choice?.other;
    case 'choices': {
      const labels = [...(answer.choices?.labels ?? []), ...(answer.choices?.other ? [answer.choices.other] : [])];
      return labels.length ? labels : undefined;
    }
    case 'payment':
      return answer.payment?.amount;
    default:
      return undefined;
  }
}

/** Every answer by its field's `ref` (the field id when it has none), then the hidden fields under their names (answers win). */
export function answersByRef(response: Pick<TypeformFormResponse, 'answers' | 'hidden'>): Record<string, AnswerValue> {
  const values: Record<string, AnswerValue> = {};
  for (const [name, value] of Object.entries(response.hidden ?? {})) {
    if (typeof value === 'string' && value.trim() !== '') values[name] = value;
  }
  for (const answer of response.answers ?? []) {
    const key = answer.field.ref ?? answer.field.id;
    const value = answerValue(answer);
    if (key && value !== undefined) values[key] = value;
  }
  return values;
}

/** A form response read as a lead through the configured refs. */
export interface Lead {
  email?: string;
  company?: string;
  website?: string;
  useCase?: string;
  /** From a number answer (or a numeric hidden field): the deal's amount. Never from the model. */
  budget?: number;
  /** Every answer by ref, for the agent. */
  answers: Record<string, AnswerValue>;
}

const email = z.email();

export function readLead(response: Pick<TypeformFormResponse, 'answers' | 'hidden'>, refs: Pick<TypeformConfig, 'TYPEFORM_EMAIL_REF' | 'TYPEFORM_COMPANY_REF' | 'TYPEFORM_WEBSITE_REF' | 'TYPEFORM_USE_CASE_REF' | 'TYPEFORM_BUDGET_REF'>): Lead {
  const answers = answersByRef(response);
  const text = (ref: string) => {
    const value = answers[ref];
    const joined = Array.isArray(value) ? value.join(', ') : value === undefined ? undefined : String(value);
    return joined?.trim() ? joined.trim() : undefined;
  };
  const givenEmail = text(refs.TYPEFORM_EMAIL_REF)?.toLowerCase();
  const rawBudget = answers[refs.TYPEFORM_BUDGET_REF];
  const budget = typeof rawBudget === 'number' ? rawBudget : typeof rawBudget === 'string' && /^\d+(\.\d+)?$/.test(rawBudget.trim()) ? Number(rawBudget) : undefined;
  return {
    email: givenEmail && email.safeParse(givenEmail).success ? givenEmail : undefined,
    company: text(refs.TYPEFORM_COMPANY_REF),
    website: text(refs.TYPEFORM_WEBSITE_REF),
    useCase: text(refs.TYPEFORM_USE_CASE_REF),
    budget: budget !== undefined && Number.isFinite(budget) && budget >= 0 && budget <= 1e12 ? budget : undefined,
    answers,
  };
}
