import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ErrorObject } from 'ajv';
import type { FormCache } from './form-runtime';
import {
  type Control, type FormDefinition, type JsonSchema, type Page, type Predicate, type Question, isFormId, isFormVersion, isMunicipalityRoute, isQuestion,
  municipalityChoices,
} from './form-definition';
import { isMunicipalityCode } from './formats';
import { DECISION_WORKING_DAYS } from './legal-clocks';

export interface LintIssue {
  file: string;
  /** JSON pointer into the definition file. */
  pointer: string;
  rule: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface LintContext {
  file: string;
  /** Unit codes that exist; when given, routing to any other unit is an error. */
  knownUnits?: Set<string>;
  /** The last published version of the same form, to catch answers that change type or disappear. */
  previous?: FormDefinition;
}

export const META_SCHEMA_FILE = 'form-definition.schema.json';

/** What each control's answer schema must look like. */
const CONTROL_SCHEMA: Record<Control, (s: JsonSchema) => boolean> = {
  text: (s) => s.type === 'string',
  textarea: (s) => s.type === 'string',
  number: (s) => s.type === 'integer' || s.type === 'number',
  date: (s) => s.type === 'string' && s.format === 'date',
  email: (s) => s.type === 'string' && s.format === 'email',
  phone: (s) => s.type === 'string' && s.format === 'phone',
  radio: (s) => s.type === 'string' && Array.isArray(s.enum),
  select: (s) => s.type === 'string' && Array.isArray(s.enum),
  checkboxes: (s) => s.type === 'array' && Array.isArray((s.items as JsonSchema | undefined)?.enum),
  yesno: (s) => s.type === 'boolean',
  'personal-identity-code': (s) => s.type === 'string' && s.format === 'fi-hetu',
  'postal-code': (s) => s.type === 'string' && s.format === 'fi-postal-code',
  municipality: (s) => municipalityChoices(s) !== undefined,
  group: (s) => s.type === 'array' && (s.items as JsonSchema | undefined)?.type === 'object',
};

/** Answer ids a predicate names (in `properties` and `required`, recursively through combinators). */
function namedAnswers(predicate: Predicate | undefined): string[] {
  if (!predicate || typeof predicate !== 'object') return [];
  const names = [...Object.keys((predicate.properties as object) ?? {}), ...((predicate.required as string[]) ?? [])];
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const sub of (predicate[key] as Predicate[]) ?? []) names.push(...namedAnswers(sub));
  if (predicate.not) names.push(...namedAnswers(predicate.not as Predicate));
  return names;
}

/** Version files: `<version>.json`. */
export const FILE_NAME = /^[1-9]\d{0,5}\.json$/;

/** The id and version a definition names, when they are well-formed (the meta-schema's rules), for file names and lookups. */
export function identityOf(definition: unknown): { id?: string; version?: number } {
  const d = (definition && typeof definition === 'object' ? definition : {}) as { id?: unknown; version?: unknown };
  return {
    id: isFormId(d.id) ? d.id : undefined,
    version: isFormVersion(d.version) ? d.version : undefined,
  };
}

/**
 * ajv reports a failed `if`/`then` both as the branch's own errors and as
 * "must match "then" schema"; the first say what is wrong, the last is noise.
 */
function rootCauses(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    const key = `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Checks a form definition: the meta-schema, then the rules of DESIGN.md §6
 * that a schema cannot express. Every issue names the file, a JSON pointer
 * and the rule.
 */
export class FormLinter {
  private readonly validateMeta;

  constructor(
    private readonly cache: FormCache,
    formsDir: string,
  ) {
    this.validateMeta = cache.compileMeta(JSON.parse(readFileSync(join(formsDir, META_SCHEMA_FILE), 'utf8')));
  }

  lint(definition: unknown, context: LintContext): LintIssue[] {
    const issues: LintIssue[] = [];
    const add = (pointer: string, rule: string, message: string, severity: LintIssue['severity'] = 'error') =>
      issues.push({ file: context.file, pointer, rule, message, severity });

    this.checkFileName(definition, context, add);
    if (!this.validateMeta(definition)) {
      for (const e of rootCauses(this.validateMeta.errors ?? [])) {
        add(e.instancePath || '/', 'meta-schema', `${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`);
      }
      return issues;
    }
    const form = definition as FormDefinition;

    const compileError = this.cache.tryCompile(form.answers);
    if (compileError) add('/answers', 'answers-compile', compileError);
    this.checkBounded(form.answers, '/answers', add);
    (form.handling.outcomes ?? []).forEach((outcome, i, all) => {
      if (all.findIndex((o) => o.value === outcome.value) < i) add(`/handling/outcomes/${i}/value`, 'outcome-unique', `outcome "${outcome.value}" is listed twice`);
    });
    this.checkClocks(form, add);

    const properties = form.answers.properties;
    const topRequired = new Set(form.answers.required ?? []);
    const askedBefore = new Set<string>();
    const asked = new Set<string>();

    form.pages.forEach((page: Page, p) => {
      const pagePointer = `/pages/${p}`;
      this.checkPredicate(page.showIf, `${pagePointer}/showIf`, properties, askedBefore, add);
      page.questions.forEach((item, q) => {
        const pointer = `${pagePointer}/questions/${q}`;
        this.checkPredicate(item.showIf, `${pointer}/showIf`, properties, new Set([...askedBefore, ...asked]), add);
        if (!isQuestion(item)) return;
        if (asked.has(item.answer) || askedBefore.has(item.answer)) add(`${pointer}/answer`, 'answer-asked-twice', `answer "${item.answer}" is asked more than once`);
        asked.add(item.answer);
        const schema = properties[item.answer];
        if (!schema) {
          add(`${pointer}/answer`, 'answer-exists', `answer "${item.answer}" is not in answers.properties`);
          return;
        }
        this.checkQuestion(item, schema, pointer, add);
        const conditional = item.showIf !== undefined || page.showIf !== undefined;
        if (conditional && topRequired.has(item.answer)) {
          add(`${pointer}/answer`, 'required-if-visible', `"${item.answer}" is shown conditionally but always required; require it in answers.allOf with if/then instead`);
        }
      });
      for (const a of asked) askedBefore.add(a);
      asked.clear();
    });

    for (const name of Object.keys(properties)) {
      if (!askedBefore.has(name)) add(`/answers/properties/${name}`, 'answer-asked', `answer "${name}" has no question`);
    }
    for (const name of topRequired) if (!properties[name]) add('/answers/required', 'answer-exists', `required answer "${name}" is not in answers.properties`);
    ((form.answers.allOf as JsonSchema[] | undefined) ?? []).forEach((rule, i) => {
      for (const name of [...namedAnswers(rule.if as Predicate), ...namedAnswers(rule.then as Predicate)]) {
        if (!properties[name]) add(`/answers/allOf/${i}`, 'predicate-answers', `names "${name}", which is not an answer`);
      }
    });
    // "At least one of these": each alternative names answers that exist.
    ((form.answers.anyOf as JsonSchema[] | undefined) ?? []).forEach((alternative, i) => {
      for (const name of namedAnswers(alternative)) {
        if (!properties[name]) add(`/answers/anyOf/${i}`, 'predicate-answers', `names "${name}", which is not an answer`);
      }
    });

    const controls = new Map(form.pages.flatMap((p) => p.questions.filter(isQuestion).map((q) => [q.answer, q.control] as const)));
    form.routing.forEach((route, i) => {
      this.checkPredicate(route.when, `/routing/${i}/when`, properties, askedBefore, add);
      const unknown = (code: string, pointer: string) => {
        if (context.knownUnits && !context.knownUnits.has(code)) add(pointer, 'routing-unit-known', `unit "${code}" does not exist`);
      };
      if (!isMunicipalityRoute(route)) {
        unknown(route.unit, `/routing/${i}/unit`);
        return;
      }
      route.units.forEach((code, j) => unknown(code, `/routing/${i}/units/${j}`));
      const name = route.unitByMunicipality;
      if (!properties[name]) add(`/routing/${i}/unitByMunicipality`, 'routing-municipality', `names "${name}", which is not an answer`);
      else if (controls.get(name) !== 'municipality') add(`/routing/${i}/unitByMunicipality`, 'routing-municipality', `"${name}" is not asked with a municipality control`);
    });
    const notice = form.handling.replyNotice;
    if (notice) {
      if (controls.get(notice.optIn) !== 'yesno') add('/handling/replyNotice/optIn', 'reply-notice', `"${notice.optIn}" is not a question with a yesno control`);
      notice.email.forEach((name, i) => {
        if (controls.get(name) !== 'email') add(`/handling/replyNotice/email/${i}`, 'reply-notice', `"${name}" is not a question with an email control`);
      });
    }
    this.checkPredicate(form.identifiedIf, '/identifiedIf', properties, askedBefore, add);
    if (form.identifiedIf !== undefined && form.identification !== 'optional') add('/identifiedIf', 'identified-if', 'identifiedIf only applies with identification "optional"');
    const last = form.routing[form.routing.length - 1];
    if (isMunicipalityRoute(last)) {
      add(`/routing/${form.routing.length - 1}`, 'routing-default', 'a rule by municipality falls through when the municipality is not given or served by none of its units: put a default rule (a fixed "unit", no "when") behind it');
    } else if (last.when !== undefined) {
      add(`/routing/${form.routing.length - 1}`, 'routing-default', 'the last routing rule must have no "when", so every submission has a unit');
    }

    if (context.previous) this.compareWithPrevious(form, context.previous, add);
    return issues;
  }

  /** Lints a file on disk. */
  lintFile(file: string, context: Omit<LintContext, 'file'> = {}): LintIssue[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      return [{ file, pointer: '', rule: 'json', message: (error as Error).message, severity: 'error' }];
    }
    return this.lint(parsed, { ...context, file });
  }

  /**
   * A file is read from `form-definitions/<id>/<version>.json`: its folder and
   * name are the definition's id and version. One finding names where it belongs.
   */
  /**
   * The legal clocks a form's handling sets must fit its purpose: a
   * child-welfare notification has an urgency assessment and a decision
   * within at most 7 working days (Lastensuojelulaki 417/2007 §26), and no
   * first-contact target; other forms have neither.
   */
  private checkClocks(form: FormDefinition, add: (pointer: string, rule: string, message: string) => void): void {
    const { handling, purpose } = form;
    if (purpose === 'child-welfare-notification') {
      const days = handling.decisionWorkingDays;
      if (days !== undefined && (days < 1 || days > DECISION_WORKING_DAYS)) {
        add('/handling/decisionWorkingDays', 'decision-deadline', `a child-welfare notification is decided within 1 to ${DECISION_WORKING_DAYS} working days (Lastensuojelulaki 417/2007 §26), not ${days}`);
      }
      if (handling.firstResponseWorkingDays) {
        add('/handling/firstResponseWorkingDays', 'handling-purpose', 'a child-welfare notification has an urgency assessment and a decision, not a first-contact target: leave it out or set 0');
      }
      return;
    }
    for (const key of ['decisionWorkingDays', 'assessWithinHours'] as const) {
      if (handling[key] !== undefined) add(`/handling/${key}`, 'handling-purpose', `${key} applies to child-welfare notifications only, not to purpose "${purpose}"`);
    }
  }

  private checkFileName(definition: unknown, context: LintContext, add: (p: string, r: string, m: string) => void): void {
    if (!context.file.endsWith('.json')) return;
    const { id, version } = identityOf(definition);
    const name = basename(context.file);
    const folder = basename(dirname(context.file));
    const named = FILE_NAME.test(name) && (version === undefined || name === `${version}.json`) && (id === undefined || folder === id);
    if (named) return;
    const expected = `form-definitions/${id ?? '<id>'}/${version ?? '<version>'}.json`;
    const found = id !== undefined || version !== undefined ? `; this one (${[id && `id "${id}"`, version && `version ${version}`].filter(Boolean).join(', ')}) belongs in ${expected}` : '';
    add('/', 'file-name', `a form definition is read from form-definitions/<id>/<version>.json, named after its "id" and "version"${found}`);
  }

  private checkQuestion(question: Question, schema: JsonSchema, pointer: string, add: (p: string, r: string, m: string) => void): void {
    if (!CONTROL_SCHEMA[question.control](schema)) {
      add(`${pointer}/control`, 'control-schema', `control "${question.control}" does not fit the answer schema of "${question.answer}"`);
      return;
    }
    const choices = question.control === 'municipality' ? municipalityChoices(schema) : undefined;
    const values = question.control === 'checkboxes' ? (schema.items as JsonSchema).enum : question.control === 'municipality' ? (choices?.length ? choices : undefined) : schema.enum;
    for (const value of choices ?? []) {
      if (isMunicipalityCode(value)) add(`${pointer}/options`, 'options-enum', `"${value}" is a municipality code; a municipality question's own choices must not be`);
    }
    if (Array.isArray(values)) {
      const options = (question.options ?? []).map((o) => o.value);
      if (JSON.stringify(options) !== JSON.stringify(values)) {
        add(`${pointer}/options`, 'options-enum', `options [${options.join(', ')}] must equal the enum [${values.join(', ')}] of "${question.answer}"`);
      }
    } else if (question.options) {
      add(`${pointer}/options`, 'options-enum', `"${question.answer}" has options but its schema has no enum`);
    }
    if (question.control === 'group') {
      const itemProps = ((schema.items as JsonSchema).properties ?? {}) as Record<string, JsonSchema>;
      if (!question.questions?.length) add(`${pointer}/questions`, 'group-questions', 'a group needs its questions');
      question.questions?.forEach((nested, i) => {
        const nestedSchema = itemProps[nested.answer];
        if (!nestedSchema) add(`${pointer}/questions/${i}/answer`, 'answer-exists', `answer "${nested.answer}" is not in the group's item properties`);
        else this.checkQuestion(nested, nestedSchema, `${pointer}/questions/${i}`, add);
      });
    }
  }

  private checkPredicate(
    predicate: Predicate | undefined,
    pointer: string,
    properties: Record<string, JsonSchema>,
    askedEarlier: Set<string>,
    add: (p: string, r: string, m: string) => void,
  ): void {
    if (predicate === undefined) return;
    if (predicate === false) add(pointer, 'page-reachable', 'a predicate that is always false hides this for good');
    const compileError = this.cache.tryCompile(predicate);
    if (compileError) add(pointer, 'predicate-compile', compileError);
    for (const name of namedAnswers(predicate)) {
      if (!properties[name]) add(pointer, 'predicate-answers', `names "${name}", which is not an answer`);
      else if (!askedEarlier.has(name)) add(pointer, 'page-reachable', `depends on "${name}", which is not asked before it`);
    }
    this.checkSatisfiable(predicate, pointer, properties, add);
  }

  /** A `const` or `enum` in a predicate must be a value the answer can have, or the page is unreachable. */
  private checkSatisfiable(predicate: Predicate, pointer: string, properties: Record<string, JsonSchema>, add: (p: string, r: string, m: string) => void): void {
    if (typeof predicate !== 'object') return;
    for (const [name, condition] of Object.entries((predicate.properties ?? {}) as Record<string, JsonSchema>)) {
      const schema = properties[name];
      if (!schema || typeof condition !== 'object') continue;
      const allowed = (schema.enum ?? (schema.items as JsonSchema | undefined)?.enum ?? (schema.type === 'boolean' ? [true, false] : undefined)) as unknown[] | undefined;
      if (!allowed) continue;
      const wanted = condition.const !== undefined ? [condition.const] : (condition.enum as unknown[] | undefined) ?? ((condition.contains as JsonSchema | undefined)?.const !== undefined ? [(condition.contains as JsonSchema).const] : []);
      for (const value of wanted) if (!allowed.includes(value)) add(pointer, 'page-reachable', `"${name}" can never be ${JSON.stringify(value)}`);
    }
  }

  /** Every string has maxLength and every array maxItems, so hostile input stays cheap to validate. */
  private checkBounded(schema: unknown, pointer: string, add: (p: string, r: string, m: string) => void): void {
    if (!schema || typeof schema !== 'object') return;
    const s = schema as JsonSchema;
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.includes('string') && s.maxLength === undefined && s.enum === undefined && s.const === undefined) add(pointer, 'bounded', 'a string needs maxLength');
    if (types.includes('array') && s.maxItems === undefined) add(pointer, 'bounded', 'an array needs maxItems');
    for (const [key, value] of Object.entries(s)) {
      if (key === 'properties' && value && typeof value === 'object') {
        for (const [name, sub] of Object.entries(value as object)) this.checkBounded(sub as JsonSchema, `${pointer}/properties/${name}`, add);
      } else if (key === 'items' || key === 'then' || key === 'else') {
        this.checkBounded(value as JsonSchema, `${pointer}/${key}`, add);
      }
    }
  }

  private compareWithPrevious(form: FormDefinition, previous: FormDefinition, add: (p: string, r: string, m: string, s?: 'error' | 'warning') => void): void {
    // A municipality answer that gains a choice of its own ("rather not say") still means a municipality;
    // a text answer that becomes a person's name keeps its meaning: the name rule only narrows what is accepted.
    const format = (s: JsonSchema) => (s.format === 'person-name' ? undefined : s.format) ?? (municipalityChoices(s)?.length ? 'fi-municipality' : undefined);
    const shape = (s: JsonSchema | undefined) =>
      s && JSON.stringify({ type: s.type, format: format(s), items: (s.items as JsonSchema | undefined)?.type, enum: s.enum ?? (s.items as JsonSchema | undefined)?.enum });
    const controlOf = (f: FormDefinition) => new Map(f.pages.flatMap((p) => p.questions.filter(isQuestion).map((q) => [q.answer, q.control] as const)));
    const before = controlOf(previous);
    const now = controlOf(form);
    for (const [name, oldSchema] of Object.entries(previous.answers.properties)) {
      const newSchema = form.answers.properties[name];
      if (!newSchema) {
        add('/answers/properties', 'answer-removed', `answer "${name}" of version ${previous.version} is removed`, 'warning');
      } else if (shape(newSchema) !== shape(oldSchema) || before.get(name) !== now.get(name)) {
        add(`/answers/properties/${name}`, 'answer-changed', `answer "${name}" changes type or meaning since version ${previous.version}; give it a new id`);
      }
    }
  }
}
