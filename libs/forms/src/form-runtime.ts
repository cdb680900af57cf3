import { createHash } from 'node:crypto';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  type FieldError, type Lang, type TextOptions, type TextRule, isPersonName, isSendableEmail, normalizePersonName, normalizeText, personNameProblem,
  textProblem,
} from '@app/platform';
import { type FormDefinition, type JsonSchema, type Predicate, type Priority, type Question, type Texts, isMunicipalityRoute, isQuestion } from './form-definition';
import { isMunicipalityCode, isPhoneNumber, isPostalCode, isValidHetu } from './formats';

/** The one ajv instance: answers, showIf and routing `when` are all JSON Schema, evaluated here. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv, ['date']);
  // The addresses the mailer and calendar files can send to, as for every e-mail address in the API.
  ajv.addFormat('email', { type: 'string', validate: isSendableEmail });
  ajv.addFormat('person-name', { type: 'string', validate: isPersonName });
  ajv.addFormat('fi-hetu', { type: 'string', validate: isValidHetu });
  ajv.addFormat('fi-postal-code', { type: 'string', validate: isPostalCode });
  ajv.addFormat('fi-municipality', { type: 'string', validate: isMunicipalityCode });
  ajv.addFormat('phone', { type: 'string', validate: isPhoneNumber });
  return ajv;
}

export type Answers = Record<string, unknown>;

/** Unit codes → the municipalities each serves (the units that exist, nothing else). */
export type ServedMunicipalities = ReadonlyMap<string, { readonly municipalities: readonly string[] }>;

/** A question as asked: with its location, for messages and rendering. */
export interface AskedQuestion {
  pageId: string;
  question: Question;
}

export interface ValidationOutcome {
  /** The answers with every hidden or unknown question's answer removed. */
  answers: Answers;
  errors: FieldError[];
  /** Pages and questions that were visible, in order. */
  visible: AskedQuestion[];
}

const FORMAT_RULES: Record<string, string> = {
  date: 'formatDate',
  email: 'formatEmail',
  phone: 'formatPhone',
  'fi-hetu': 'formatHetu',
  'fi-postal-code': 'formatPostalCode',
  'fi-municipality': 'formatMunicipality',
  'person-name': 'personName',
};

/** Requirements, not checks of what was given: a draft may leave them unmet. */
const REQUIREMENT_KEYWORDS = new Set(['required', 'dependentRequired', 'minItems', 'minLength', 'minProperties']);

/** `autocomplete` tokens (HTML) that say a text question asks for a person's name. */
const NAME_AUTOCOMPLETE = new Set(['name', 'given-name', 'additional-name', 'family-name', 'nickname']);

/**
 * How the one text rule (text.ts) applies to a string answer: a textarea is
 * multi-line; a question whose answer has `format: "person-name"`, or whose
 * `autocomplete` is a name token, is a person's name; every other string
 * answer (text, and the values of other controls) is single-line text.
 */
type TextKind = 'multiline' | 'name' | 'line';

function textKindOf(question: Question, schema: JsonSchema | undefined): TextKind {
  if (schema?.format === 'person-name' || (question.autocomplete !== undefined && NAME_AUTOCOMPLETE.has(question.autocomplete))) return 'name';
  return question.control === 'textarea' ? 'multiline' : 'line';
}

const MULTILINE: TextOptions = { multiline: true };

function normalizeString(value: string, kind: TextKind): string {
  return kind === 'name' ? normalizePersonName(value) : normalizeText(value, kind === 'multiline' ? MULTILINE : {});
}

function textRuleBroken(value: string, kind: TextKind): TextRule | undefined {
  return kind === 'name' ? personNameProblem(value) : textProblem(value, kind === 'multiline' ? MULTILINE : {});
}

/**
 * A compiled form version: validators compiled once and reused. The
 * pipeline is prune → validate → route: hidden questions' answers are
 * dropped before validation, so they are never required and never stored.
 */
export class CompiledForm {
  private readonly validateAnswers: ValidateFunction;
  private readonly predicates = new Map<object, ValidateFunction>();
  private readonly labels = new Map<string, Texts>();
  private readonly questions = new Map<string, Question>();
  private readonly pageTitles = new Map<string, Texts>();
  /** The text kind of each string answer, keyed like `labels`. */
  private readonly textKinds = new Map<string, TextKind>();

  constructor(
    readonly definition: FormDefinition,
    ajv: Ajv2020,
  ) {
    this.validateAnswers = ajv.compile(definition.answers);
    const predicate = (p: Predicate | undefined) => {
      if (p !== undefined && typeof p === 'object') this.predicates.set(p, ajv.compile(p));
    };
    for (const page of definition.pages) {
      predicate(page.showIf);
      for (const item of page.questions) {
        predicate(item.showIf);
        if (isQuestion(item)) {
          this.labels.set(item.answer, item.label);
          this.questions.set(item.answer, item);
          this.pageTitles.set(item.answer, page.title);
          const schema = definition.answers.properties[item.answer];
          this.textKinds.set(item.answer, textKindOf(item, schema));
          const itemSchema = (schema?.items as JsonSchema | undefined)?.properties as Record<string, JsonSchema> | undefined;
          for (const nested of item.questions ?? []) {
            this.labels.set(`${item.answer}/*/${nested.answer}`, nested.label);
            this.questions.set(`${item.answer}/*/${nested.answer}`, nested);
            this.textKinds.set(`${item.answer}/*/${nested.answer}`, textKindOf(nested, itemSchema?.[nested.answer]));
          }
        }
      }
    }
    for (const route of definition.routing) predicate(route.when);
    predicate(definition.identifiedIf);
  }

  /** Whether the sender of these (pruned) answers identified themself. */
  identified(answers: Answers): boolean {
    const { identification, identifiedIf } = this.definition;
    if (identification !== 'optional') return identification === 'required';
    return identifiedIf !== undefined && this.matches(identifiedIf, answers);
  }

  matches(predicate: Predicate | undefined, answers: Answers): boolean {
    if (predicate === undefined) return true;
    if (typeof predicate === 'boolean') return predicate;
    return this.predicates.get(predicate)!(answers) as boolean;
  }

  /** Keeps only the answers of questions that are visible, page by page, given the answers kept so far. */
  prune(input: Answers): { answers: Answers; visible: AskedQuestion[] } {
    const kept: Answers = {};
    const visible: AskedQuestion[] = [];
    for (const page of this.definition.pages) {
      if (!this.matches(page.showIf, kept)) continue;
      for (const item of page.questions) {
        if (!isQuestion(item) || !this.matches(item.showIf, kept)) continue;
        visible.push({ pageId: page.id, question: item });
        const value = this.normalize(item.answer, input[item.answer]);
        if (value !== undefined && value !== null && value !== '') kept[item.answer] = value;
      }
    }
    return { answers: kept, visible };
  }

  /** Prune, then validate what is left; with `pageId`, only that page's errors are reported. */
  validate(input: Answers, pageId?: string): ValidationOutcome {
    return this.check(input, { pageId });
  }

  /**
   * A draft is checked like answers (types, formats, lengths, the text
   * rule, unknown questions) but nothing is required yet.
   */
  validateDraft(input: Answers): ValidationOutcome {
    return this.check(input, { draft: true });
  }

  private check(input: Answers, options: { pageId?: string; draft?: boolean }): ValidationOutcome {
    const { pageId, draft = false } = options;
    const { answers, visible } = this.prune(input);
    const valid = this.validateAnswers(answers);
    // Answers to hidden questions are dropped; answers to questions the form does not have are refused.
    const unknown = Object.keys(input)
      .filter((key) => !this.labels.has(key))
      .map((key): FieldError => ({ field: `/${key}`, rule: 'answerUnknown' }));
    const schemaErrors = (valid ? [] : (this.validateAnswers.errors ?? [])).filter((e) => !draft || !REQUIREMENT_KEYWORDS.has(e.keyword));
    let errors = [...unknown, ...this.toFieldErrors(this.textErrors(answers), schemaErrors)];
    if (pageId) {
      const onPage = new Set(visible.filter((v) => v.pageId === pageId).map((v) => v.question.answer));
      errors = errors.filter((e) => onPage.has(e.field.split('/')[1]));
    }
    return { answers, errors, visible };
  }

  /**
   * The first routing rule that gives a unit for the (pruned, valid) answers.
   * A rule by municipality gives the first of its candidate units that serves
   * the answered municipality, and otherwise falls through to the next rule.
   * `served` lists the units that exist; undefined when no rule applies (the
   * linter's default rule makes that impossible for a linted definition).
   */
  route(answers: Answers, served: ServedMunicipalities): { unit: string; priority: Priority } | undefined {
    for (const rule of this.definition.routing) {
      if (!this.matches(rule.when, answers)) continue;
      const priority = rule.priority ?? 'normal';
      if (!isMunicipalityRoute(rule)) return { unit: rule.unit, priority };
      const municipality = answers[rule.unitByMunicipality];
      if (typeof municipality !== 'string') continue;
      const unit = rule.units.find((code) => served.get(code)?.municipalities.includes(municipality));
      if (unit) return { unit, priority };
    }
    return undefined;
  }

  labelOf(pointer: string): Texts | undefined {
    const parts = pointer.split('/').slice(1);
    return parts.length >= 3 ? this.labels.get(`${parts[0]}/*/${parts[2]}`) : this.labels.get(parts[0]);
  }

  /** A string answer normalised by its text kind (group items' strings too); other values as they are. */
  private normalize(answer: string, value: unknown): unknown {
    if (typeof value === 'string') return normalizeString(value, this.textKinds.get(answer) ?? 'line');
    if (!Array.isArray(value)) return value;
    return value.map((item: unknown) => {
      if (typeof item === 'string') return normalizeString(item, 'line');
      if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
      return Object.fromEntries(
        Object.entries(item).map(([key, v]) => [key, typeof v === 'string' ? normalizeString(v, this.textKinds.get(`${answer}/*/${key}`) ?? 'line') : v]),
      );
    });
  }

  /** The text rule over every string answer (normalised by prune), a group's items included. */
  private textErrors(answers: Answers): FieldError[] {
    const errors: FieldError[] = [];
    const check = (field: string, value: unknown, kind: TextKind) => {
      const rule = typeof value === 'string' ? textRuleBroken(value, kind) : undefined;
      if (rule) errors.push({ field, rule });
    };
    for (const [answer, value] of Object.entries(answers)) {
      if (!Array.isArray(value)) {
        check(`/${answer}`, value, this.textKinds.get(answer) ?? 'line');
        continue;
      }
      value.forEach((item: unknown, index) => {
        if (typeof item === 'string') check(`/${answer}/${index}`, item, 'line');
        else if (item && typeof item === 'object') {
          for (const [key, v] of Object.entries(item)) check(`/${answer}/${index}/${key}`, v, this.textKinds.get(`${answer}/*/${key}`) ?? 'line');
        }
      });
    }
    return errors;
  }

  /**
   * One citizen message per answer (the first problem found: the text rule,
   * then ajv's keywords mapped to the project's own catalogue).
   */
  private toFieldErrors(textErrors: FieldError[], errors: ErrorObject[]): FieldError[] {
    const byField = new Map<string, FieldError>();
    const consumed = new Set<ErrorObject>();
    const add = (error: FieldError | undefined) => {
      if (!error || byField.has(error.field)) return;
      // A message about several answers carries its own heading (or none); the others are named by their question.
      const label = error.label ?? (error.rule === 'answerAnyRequired' ? undefined : this.labelOf(error.field));
      byField.set(error.field, label ? { ...error, label } : error);
    };
    textErrors.forEach(add);
    for (const e of errors) {
      if (e.keyword !== 'anyOf') continue;
      const alternatives = this.alternativesRequired(e, errors);
      if (!alternatives) continue;
      alternatives.branches.forEach((b) => consumed.add(b));
      add(alternatives.error);
    }
    for (const e of errors) {
      if (!consumed.has(e)) add(this.exclusiveOption(e) ?? mapAjvError(e));
    }
    return [...byField.values()];
  }

  /**
   * An `anyOf` whose every alternative is a `required` ("give at least one of
   * these") is one message naming the answers to choose from, shown at the
   * first of them, headed by the title of its page (or, inside a repeatable
   * group, by the group's label).
   */
  private alternativesRequired(anyOf: ErrorObject, errors: ErrorObject[]): { error: FieldError; branches: ErrorObject[] } | undefined {
    const prefix = `${anyOf.schemaPath}/`;
    const branches = errors.filter((x) => x.schemaPath.startsWith(prefix) && x.instancePath === anyOf.instancePath);
    if (!branches.length || branches.some((b) => b.keyword !== 'required' || b.schemaPath.slice(prefix.length).split('/').length !== 2)) return undefined;
    // One entry per alternative: an alternative that needs several answers names them joined.
    const groups = new Map<string, string[]>();
    for (const b of branches) {
      const index = b.schemaPath.slice(prefix.length).split('/')[0];
      groups.set(index, [...(groups.get(index) ?? []), `${anyOf.instancePath}/${String((b.params as { missingProperty: string }).missingProperty)}`]);
    }
    const pointers = [...groups.values()];
    const word = (lang: Lang) =>
      pointers.map((group) => group.map((pointer) => lowerFirst(this.labelOf(pointer)?.[lang] ?? pointer.split('/').pop()!)).join(' + ')).join(', ');
    const first = pointers[0][0];
    const heading = anyOf.instancePath === '' ? this.pageTitles.get(first.split('/')[1]) : this.labelOf(anyOf.instancePath);
    return {
      branches,
      error: { field: first, rule: 'answerAnyRequired', texts: { answers: { fi: word('fi'), sv: word('sv'), en: word('en') } }, ...(heading ? { label: heading } : {}) },
    };
  }

  /**
   * `{ "if": { "contains": { "const": "none" } }, "then": { "maxItems": 1 } }`
   * on a checkbox answer: that option cannot be ticked with others.
   */
  private exclusiveOption(e: ErrorObject): FieldError | undefined {
    if (e.keyword !== 'maxItems' || Number((e.params as { limit: number }).limit) !== 1 || !e.schemaPath.endsWith('/then/maxItems')) return undefined;
    const holder = schemaAt(this.definition.answers, e.schemaPath.slice(0, -'/then/maxItems'.length));
    const option = ((holder?.if as Record<string, unknown> | undefined)?.contains as Record<string, unknown> | undefined)?.const;
    if (typeof option !== 'string') return undefined;
    const parts = e.instancePath.split('/').slice(1);
    const question = this.questions.get(parts.length >= 3 ? `${parts[0]}/*/${parts[2]}` : parts[0]);
    const label = question?.options?.find((o) => o.value === option)?.label;
    return { field: e.instancePath, rule: 'answerExclusive', texts: { option: label ?? { fi: option, sv: option, en: option } } };
  }
}

/** "Lapsen nimi" → "lapsen nimi" for a list inside a sentence; "HETU" stays as it is. */
function lowerFirst(text: string): string {
  return text.length > 1 && text[1] === text[1].toLowerCase() ? text[0].toLowerCase() + text.slice(1) : text;
}

/** The subschema at an ajv schema path (`#/properties/x/then`). */
function schemaAt(schema: unknown, schemaPath: string): Record<string, unknown> | undefined {
  let node = schema;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

function mapAjvError(e: ErrorObject): FieldError | undefined {
  const p = e.params as Record<string, unknown>;
  const at = e.instancePath;
  switch (e.keyword) {
    case 'required':
      return { field: `${at}/${String(p.missingProperty)}`, rule: 'answerRequired' };
    case 'additionalProperties':
      return { field: `${at}/${String(p.additionalProperty)}`, rule: 'answerUnknown' };
    case 'minLength':
      return { field: at, rule: p.limit === 1 ? 'answerRequired' : 'answerMinLength', params: { limit: Number(p.limit) } };
    case 'maxLength':
      return { field: at, rule: 'answerMaxLength', params: { limit: Number(p.limit) } };
    case 'minimum':
    case 'exclusiveMinimum':
      return { field: at, rule: 'answerMinimum', params: { limit: Number(p.limit) } };
    case 'maximum':
    case 'exclusiveMaximum':
      return { field: at, rule: 'answerMaximum', params: { limit: Number(p.limit) } };
    case 'minItems':
      return { field: at, rule: p.limit === 1 ? 'answerRequired' : 'answerMinItems', params: { limit: Number(p.limit) } };
    case 'maxItems':
      return { field: at, rule: 'answerMaxItems', params: { limit: Number(p.limit) } };
    case 'uniqueItems':
      return { field: at, rule: 'answerUnique' };
    case 'enum':
    case 'const':
      return { field: at, rule: 'answerEnum' };
    case 'type':
      return { field: at, rule: 'answerType' };
    case 'format':
      return { field: at, rule: FORMAT_RULES[String(p.format)] ?? 'answerInvalid' };
    case 'if':
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
      return undefined; // the nested keyword's own error says what is wrong
    default:
      return { field: at, rule: 'invalid' };
  }
}

/** JSON with object keys sorted, so the same content always gives the same text (jsonb reorders keys). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Identifies a definition's content, so a cached compilation is never reused for changed content. */
export function contentHash(definition: FormDefinition): string {
  return createHash('sha256').update(canonical(definition)).digest('hex');
}

/** Compiled forms by id, version and content hash; never compiled per request. */
export class FormCache {
  private readonly ajv = createAjv();
  private readonly compiled = new Map<string, CompiledForm>();

  peek(formId: string, version: number, hash: string): CompiledForm | undefined {
    return this.compiled.get(`${formId}@${version}#${hash}`);
  }

  get(definition: FormDefinition, hash = contentHash(definition)): CompiledForm {
    const key = `${definition.id}@${definition.version}#${hash}`;
    let form = this.compiled.get(key);
    if (!form) {
      form = new CompiledForm(definition, this.ajv);
      this.compiled.set(key, form);
    }
    return form;
  }

  /** The meta-schema validator for the linter. */
  compileMeta(metaSchema: object): ValidateFunction {
    return this.ajv.compile(metaSchema);
  }

  /** For the linter: compiles a schema with the same formats, or returns the error. */
  tryCompile(schema: unknown): string | undefined {
    try {
      this.ajv.compile(schema as object);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }
}

export type { Lang };
