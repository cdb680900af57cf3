import type { Lang } from '@app/platform';

export type Texts = Record<Lang, string>;
export type Predicate = Record<string, unknown> | boolean;
export type JsonSchema = Record<string, unknown>;

/** A form's id, as in the meta-schema (and the folder name). */
export const FORM_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** Versions are 1 … MAX_FORM_VERSION, as in the meta-schema. */
export const MAX_FORM_VERSION = 100000;

export function isFormId(value: unknown): value is string {
  return typeof value === 'string' && FORM_ID.test(value);
}

export function isFormVersion(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_FORM_VERSION;
}

export const PURPOSES = ['pre-information', 'child-welfare-notification', 'help-request', 'general'] as const;
export type Purpose = (typeof PURPOSES)[number];

export type Control =
  | 'text' | 'textarea' | 'number' | 'date' | 'email' | 'phone' | 'radio' | 'checkboxes' | 'select' | 'yesno'
  | 'personal-identity-code' | 'postal-code' | 'municipality' | 'group';

export interface Option {
  value: string;
  label: Texts;
  hint?: Texts;
}

export interface Question {
  answer: string;
  control: Control;
  label: Texts;
  hint?: Texts;
  showIf?: Predicate;
  options?: Option[];
  autocomplete?: string;
  itemLabel?: Texts;
  questions?: Question[];
}

export interface ContentBlock {
  content: Texts;
  style?: 'info' | 'warning' | 'emergency';
  showIf?: Predicate;
}

export type PageItem = Question | ContentBlock;

export interface Page {
  id: string;
  title: Texts;
  showIf?: Predicate;
  questions: PageItem[];
}

export interface Route {
  when?: Predicate;
  unit: string;
  priority?: 'normal' | 'urgent';
}

/** One version of one form, as authored in form-definitions/<id>/<version>.json (DESIGN.md §6). */
export interface FormDefinition {
  $schema?: string;
  id: string;
  version: number;
  purpose: Purpose;
  title: Texts;
  description?: Texts;
  /** Quick exit and neutral page titles in the pages. */
  sensitive?: boolean;
  identification: 'none' | 'optional' | 'required';
  /** With optional identification: the answers that mean the sender identified themself. */
  identifiedIf?: Predicate;
  referencePrefix?: string;
  answers: JsonSchema & { properties: Record<string, JsonSchema>; required?: string[] };
  pages: Page[];
  routing: Route[];
  handling: { firstResponseWorkingDays?: number; decisionWorkingDays?: number; senderNotice?: Texts };
  retentionDays: number;
}

export function isQuestion(item: PageItem): item is Question {
  return 'answer' in item;
}

const DEFAULT_PREFIX: Record<Purpose, string> = {
  'pre-information': 'ESI',
  'child-welfare-notification': 'LSI',
  'help-request': 'APU',
  general: 'LOM',
};

export function referencePrefixOf(definition: FormDefinition): string {
  return definition.referencePrefix ?? DEFAULT_PREFIX[definition.purpose];
}
