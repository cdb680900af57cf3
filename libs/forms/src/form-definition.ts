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

export type Priority = 'normal' | 'urgent';

/** A rule that sends to one unit. Without `when` it is a default rule. */
export interface FixedRoute {
  when?: Predicate;
  unit: string;
  priority?: Priority;
}

/**
 * A rule that sends to the unit serving the municipality answered in
 * `unitByMunicipality`: the first of its candidate `units` whose service
 * area has it. It falls through to the next rule when that answer is not
 * given, is not a municipality (e.g. "rather not say"), or is served by none
 * of the candidates.
 */
export interface MunicipalityRoute {
  when?: Predicate;
  unitByMunicipality: string;
  units: string[];
  priority?: Priority;
}

export type Route = FixedRoute | MunicipalityRoute;

export function isMunicipalityRoute(route: Route): route is MunicipalityRoute {
  return 'unitByMunicipality' in route;
}

/** Every unit a routing rule can send to. */
export function unitsOf(route: Route): string[] {
  return isMunicipalityRoute(route) ? route.units : [route.unit];
}

/**
 * The answer schema of a municipality question allows a code from the list,
 * and may allow choices of its own beside the list (e.g. "I'd rather not say"):
 * `{ "type": "string", "anyOf": [{ "format": "fi-municipality" }, { "enum": ["ratherNotSay"] }] }`.
 * Returns those own choices ([] when there are none), or undefined when the
 * schema is not a municipality answer at all.
 */
export function municipalityChoices(schema: JsonSchema): string[] | undefined {
  if (schema.type !== 'string') return undefined;
  if (schema.format === 'fi-municipality') return [];
  const branches = schema.anyOf as JsonSchema[] | undefined;
  if (!Array.isArray(branches) || !branches.some((b) => b?.format === 'fi-municipality')) return undefined;
  const own: unknown[] = [];
  for (const branch of branches) {
    if (branch?.format === 'fi-municipality') continue;
    if (branch?.const !== undefined) own.push(branch.const);
    else if (Array.isArray(branch?.enum)) own.push(...(branch.enum as unknown[]));
    else return undefined;
  }
  return own.every((v) => typeof v === 'string') ? (own as string[]) : undefined;
}

/** One outcome a handler may choose when closing a submission. */
export interface HandlingOutcome {
  value: string;
  label: Texts;
}

/**
 * Where a sender's request for the reply notice is read: the yes/no answer
 * `optIn` (only `true` asks for it) and the e-mail answers, the first one
 * answered being the address.
 */
export interface ReplyNoticeRule {
  optIn: string;
  email: string[];
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
    /** Working days to the first contact (help requests and general forms); 0 or absent: no such deadline. */
    firstResponseWorkingDays?: number;
    /** Child-welfare notifications: working days to the decision on opening a case (7 by law, the default; never more). */
    decisionWorkingDays?: number;
    /** Child-welfare notifications: hours after arrival when an urgency assessment not yet recorded escalates (default 24). */
    assessWithinHours?: number;
    senderNotice?: Texts;
    /** What a handler may record as the outcome when closing; without it, the default list for the purpose. */
    outcomes?: HandlingOutcome[];
    /** The sender may ask for a content-free e-mail when a handler replies. */
    replyNotice?: ReplyNoticeRule;
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
