/**
 * A small JSON parser that remembers where each key and value ends, so configuration errors can be worded the
 * way the reference's one documented example is (§7): serde_json style, "unknown field `timer_ms`, expected
 * `measurement_timer_ms` at line 1 column 11" (the column of the last character read, 1-based).
 * JSON.parse cannot say where a key was, hence this file.
 */

export interface Position {
  line: number;
  column: number;
}

export type JsonNode =
  | { kind: 'object'; entries: Array<{ key: string; keyEnd: Position; value: JsonNode }>; end: Position }
  | { kind: 'array'; items: JsonNode[]; end: Position }
  | { kind: 'string'; value: string; end: Position }
  | { kind: 'number'; value: number; integer: boolean; raw: string; end: Position }
  | { kind: 'boolean'; value: boolean; end: Position }
  | { kind: 'null'; end: Position };

export class JsonSyntaxError extends Error {}

const MAX_DEPTH = 64;

export function parseJson(text: string): JsonNode {
  return new Parser(text).document();
}

class Parser {
  private i = 0;
  private line = 1;
  private column = 0;

  constructor(private readonly text: string) {}

  document(): JsonNode {
    this.space();
    const node = this.value(0);
    this.space();
    if (this.i < this.text.length) {
      this.advance();
      this.fail('trailing characters');
    }
    return node;
  }

  private here(): Position {
    return { line: this.line, column: this.column };
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(`${message} at line ${this.line} column ${this.column}`);
  }

  private peek(): string | undefined {
    return this.text[this.i];
  }

  private advance(): string {
    const c = this.text[this.i++]!;
    if (c === '\n') {
      this.line++;
      this.column = 0;
    } else this.column++;
    return c;
  }

  private space(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.advance();
  }

  private value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail('recursion limit exceeded');
    const c = this.peek();
    if (c === undefined) this.fail('EOF while parsing a value');
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') {
      const value = this.string();
      return { kind: 'string', value, end: this.here() };
    }
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, node] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (c === word[0]) {
        for (const expected of word) {
          if (this.peek() === undefined) this.fail('EOF while parsing a value');
          if (this.advance() !== expected) this.fail('expected ident');
        }
        return { ...node, end: this.here() } as JsonNode;
      }
    }
    this.advance();
    this.fail('expected value');
  }

  private object(depth: number): JsonNode {
    this.advance(); // {
    const entries: Array<{ key: string; keyEnd: Position; value: JsonNode }> = [];
    this.space();
    if (this.peek() === '}') {
      this.advance();
      return { kind: 'object', entries, end: this.here() };
    }
    for (;;) {
      this.space();
      const c = this.peek();
      if (c === undefined) this.fail('EOF while parsing an object');
      if (c !== '"') {
        this.advance();
        this.fail(c === '}' ? 'trailing comma' : 'key must be a string');
      }
      const key = this.string();
      const keyEnd = this.here();
      this.space();
      if (this.peek() === undefined) this.fail('EOF while parsing an object');
      if (this.advance() !== ':') this.fail('expected `:`');
      this.space();
      entries.push({ key, keyEnd, value: this.value(depth + 1) });
      this.space();
      const next = this.peek();
      if (next === undefined) this.fail('EOF while parsing an object');
      this.advance();
      if (next === '}') return { kind: 'object', entries, end: this.here() };
      if (next !== ',') this.fail('expected `,` or `}`');
    }
  }

  private array(depth: number): JsonNode {
    this.advance(); // [
    const items: JsonNode[] = [];
    this.space();
    if (this.peek() === ']') {
      this.advance();
      return { kind: 'array', items, end: this.here() };
    }
    for (;;) {
      this.space();
      if (this.peek() === ']') {
        this.advance();
        this.fail('trailing comma');
      }
      items.push(this.value(depth + 1));
      this.space();
      const next = this.peek();
      if (next === undefined) this.fail('EOF while parsing a list');
      this.advance();
      if (next === ']') return { kind: 'array', items, end: this.here() };
      if (next !== ',') this.fail('expected `,` or `]`');
    }
  }

  private string(): string {
    this.advance(); // opening quote
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('EOF while parsing a string');
      this.advance();
      if (c === '"') return out;
      if (c < ' ') this.fail('control character (\\u0000-\\u001F) found while parsing a string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      if (this.peek() === undefined) this.fail('EOF while parsing a string');
      const e = this.advance();
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) out += simple[e];
      else if (e === 'u') {
        let hex = '';
        for (let k = 0; k < 4; k++) {
          if (this.peek() === undefined) this.fail('EOF while parsing a string');
          hex += this.advance();
        }
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid escape');
        out += String.fromCharCode(parseInt(hex, 16));
      } else this.fail('invalid escape');
    }
  }

  private number(): JsonNode {
    const start = this.i;
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(start, start + 400));
    if (!match || match[0] === '-') {
      this.advance();
      this.fail('invalid number');
    }
    for (let k = 0; k < match[0].length; k++) this.advance();
    const raw = match[0];
    return { kind: 'number', value: Number(raw), integer: match[1] === undefined && match[2] === undefined, raw, end: this.here() };
  }
}

/** serde's wording for the value a field got ("invalid type: string \"x\", expected …"). */
export function describeNode(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return 'map';
    case 'array':
      return 'sequence';
    case 'string':
      return `string ${JSON.stringify(node.value)}`;
    case 'number':
      return node.integer ? `integer \`${node.raw}\`` : `floating point \`${node.raw}\``;
    case 'boolean':
      return `boolean \`${node.value}\``;
    case 'null':
      return 'null';
  }
}

/** serde's list of the fields a struct takes: "expected `a`", "expected `a` or `b`", "expected one of `a`, `b`, `c`". */
export function expectedFields(fields: readonly string[]): string {
  const quoted = fields.map((f) => `\`${f}\``);
  if (quoted.length === 0) return 'there are no fields';
  if (quoted.length === 1) return `expected ${quoted[0]}`;
  if (quoted.length === 2) return `expected ${quoted[0]} or ${quoted[1]}`;
  return `expected one of ${quoted.join(', ')}`;
}

export const at = (p: Position) => `at line ${p.line} column ${p.column}`;
