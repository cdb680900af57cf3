import type { Lang } from '@app/platform';

export type Texts = Record<Lang, string>;
export type Predicate = Record<string, unknown> | boolean;
export type JsonSchema = Record<string, unknown>;

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

/** One outcome a handler may choose when closing a submission. */
export interface HandlingOutcome {
  value: string;
  label: Texts;
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
  handling: {
    firstResponseWorkingDays?: number;
    decisionWorkingDays?: number;
    senderNotice?: Texts;
    /** What a handler may record as the outcome when closing; without it, the default list for the purpose. */
    outcomes?: HandlingOutcome[];
  };
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
