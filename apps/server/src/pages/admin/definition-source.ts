import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';

/** One finding about an uploaded definition, placed on a line of its text. */
export interface SourceFinding {
  /** 1-based line of the text the finding is about. */
  line: number;
  /** JSON pointer into the definition ('' for the whole file). */
  pointer: string;
  rule: string;
  message: string;
  severity: 'error' | 'warning';
}

/**
 * The text of a definition file as uploaded, with where each JSON pointer
 * sits in it. JSON.parse is the only judge of the text; the syntax tree of
 * `jsonc-parser` (strict: no comments, no trailing commas) only tells where
 * a value, or a syntax error, is.
 */
export class DefinitionSource {
  readonly lines: string[];
  private readonly lineStarts: number[] = [0];
  private readonly tree: Node | undefined;
  private readonly syntaxErrors: ParseError[] = [];

  constructor(readonly text: string) {
    this.lines = text.split(/\r\n|\n|\r/);
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) this.lineStarts.push(i + 1);
    }
    this.tree = parseTree(text, this.syntaxErrors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  }

  /** The 1-based line of a character offset. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  /**
   * The line where a JSON pointer's value is written: the line of its
   * property name, or of the array item; for a pointer that names nothing in
   * the text (a missing property), the line of the nearest value that exists.
   */
  lineOfPointer(pointer: string): number {
    if (!this.tree) return 1;
    // The linter names the whole file '/' (or '').
    const segments = pointer === '/' ? [] : pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let node: Node = this.tree;
    let at = node.offset;
    for (const segment of segments) {
      let next: Node | undefined;
      let start: number | undefined;
      if (node.type === 'object') {
        // A repeated property: JSON.parse keeps the last one, so does this.
        const property = (node.children ?? []).filter((p) => p.children?.[0]?.value === segment).pop();
        next = property?.children?.[1];
        start = property?.offset;
      } else if (node.type === 'array' && /^(0|[1-9]\d*)$/.test(segment)) {
        next = node.children?.[Number(segment)];
        start = next?.offset;
      }
      if (!next || start === undefined) break;
      node = next;
      at = start;
    }
    return this.lineOf(at);
  }

  /** Where and why the text is not JSON: the first syntax error, with JSON.parse's message. */
  syntaxError(parseMessage: string): { line: number; message: string } {
    const first = this.syntaxErrors[0];
    if (!first) return { line: 1, message: parseMessage };
    const line = this.lineOf(first.offset);
    const column = first.offset - this.lineStarts[line - 1] + 1;
    return { line, message: `${parseMessage} (${printParseErrorCode(first.error)}, line ${line}, column ${column})` };
  }
}
