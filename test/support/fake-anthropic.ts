import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake received: one Messages API request. */
export interface ReceivedMessagesRequest {
  /** Date.now() when the request was complete. */
  receivedAt: number;
  headers: IncomingHttpHeaders;
  body: {
    model: string;
    max_tokens: number;
    system?: Array<{ type: string; text: string; cache_control?: unknown }>;
    tools?: Array<{ name: string; description?: string; input_schema: Record<string, unknown>; cache_control?: unknown }>;
    tool_choice?: { type: string; name?: string };
    messages: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
    /** Structured outputs: the JSON schema the final text must follow. */
    output_config?: { format?: { type: string; schema?: Record<string, unknown> } | null; effort?: string | null };
  };
}

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/**
 * One scripted answer: a Messages API response, or an HTTP error; sent `delayMs` after the request
 * (at once by default), or once `until` has resolved (a model that holds its answer).
 */
export type FakeAnthropicReply = { status: number; body: unknown; headers?: Record<string, string>; delayMs?: number; until?: Promise<unknown> };

const DEFAULT_USAGE: FakeUsage = { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
let nextId = 1;

function message(content: Array<Record<string, unknown>>, stopReason: string, usage: FakeUsage): FakeAnthropicReply {
  return {
    status: 200,
    body: {
      id: `msg_fake_${nextId++}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...usage },
    },
  };
}

/** A final answer (stop_reason end_turn). */
export function endTurn(text: string, usage: FakeUsage = DEFAULT_USAGE): FakeAnthropicReply {
  return message([{ type: 'text', text }], 'end_turn', usage);
}

/** A tool call (stop_reason tool_use). */
export function toolUse(name: string, input: Record<string, unknown>, usage: FakeUsage = DEFAULT_USAGE): FakeAnthropicReply {
  return message([{ type: 'tool_use', id: `toolu_fake_${nextId++}`, name, input }], 'tool_use', usage);
}

/** The JSON schema a request asked the model's final text to follow (`output_config.format`), or null. */
export function outputSchemaOf(request: ReceivedMessagesRequest): Record<string, unknown> | null {
  const format = request.body.output_config?.format;
  return format?.type === 'json_schema' && format.schema ? format.schema : null;
}

/**
 * A model that follows the API's output schema and nothing else: when the request carries
 * `output_config.format` it answers with `answer` as JSON, as the API's constrained decoding
 * guarantees; without it, it answers in Markdown prose whatever the system prompt says about JSON.
 * Use as `fallback`.
 */
export function honoursOutputSchemaOnly(answer: unknown, usage: FakeUsage = DEFAULT_USAGE): (request: ReceivedMessagesRequest) => FakeAnthropicReply {
  return (request) =>
    outputSchemaOf(request)
      ? endTurn(JSON.stringify(answer), usage)
      : endTurn('## Review\n\nLooks good overall.\n\n- **Findings:** none worth mentioning.\n- **Suggestions:** add a test.', usage);
}

/**
 * What the real API answers 400 to in `output_config`: a format other than json_schema, a schema
 * whose root is not an object, or an object (anywhere in the schema) that allows additional
 * properties. Null when the request is fine.
 */
export function outputConfigProblem(body: ReceivedMessagesRequest['body']): string | null {
  const format = body.output_config?.format;
  if (!format) return null;
  if (format.type !== 'json_schema') return `output_config.format.type: expected json_schema, got ${String(format.type)}`;
  const schema = format.schema;
  if (!schema || typeof schema !== 'object') return 'output_config.format.schema: required';
  if (schema.type !== 'object') return 'output_config.format.schema: the root must be of type object';
  const open: string[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${path}/${i}`));
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'object' && record.additionalProperties !== false) open.push(path || '/');
    for (const [key, value] of Object.entries(record)) visit(value, `${path}/${key}`);
  };
  visit(schema, '');
  return open.length ? `output_config.format.schema: objects must set additionalProperties to false (at ${open.join(', ')})` : null;
}

/** An API error as Anthropic sends it: 429 rate_limit_error, 529 overloaded_error, 400 invalid_request_error... */
export function apiError(status: number): FakeAnthropicReply {
  const type = status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
  // retry-after-ms keeps the SDK's own retries fast in tests.
  return { status, body: { type: 'error', error: { type, message: `fake ${type}` } }, headers: { 'retry-after-ms': '5' } };
}

/**
 * A small local server speaking the Anthropic Messages API (POST /v1/messages), reached by the
 * real SDK through ANTHROPIC_BASE_URL. Replies come from a script, then from `fallback`; with
 * neither it answers 400, so an unexpected call fails loudly. Every request is recorded, its
 * structured-output format (`output_config`) included; one whose format the real API would
 * refuse (see outputConfigProblem) gets the API's 400 instead of a scripted reply.
 */
export class FakeAnthropic {
  readonly requests: ReceivedMessagesRequest[] = [];
  fallback: ((request: ReceivedMessagesRequest) => FakeAnthropicReply) | null = null;
  private readonly script: FakeAnthropicReply[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeAnthropic> {
    let fake: FakeAnthropic | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: req.url } }));
          return;
        }
        const request: ReceivedMessagesRequest = { receivedAt: Date.now(), headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
        fake!.requests.push(request);
        const problem = outputConfigProblem(request.body);
        const refused: FakeAnthropicReply | undefined = problem ? { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: problem } } } : undefined;
        const reply = refused ?? fake!.script.shift() ?? fake!.fallback?.(request) ?? {
          status: 400,
          body: { type: 'error', error: { type: 'invalid_request_error', message: 'fake anthropic: nothing scripted for this request' } },
        };
        const send = () => {
          res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': `req_fake_${nextId++}`, ...reply.headers });
          res.end(JSON.stringify(reply.body));
        };
        if (reply.until) void reply.until.then(() => !res.destroyed && send());
        else if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    fake = new FakeAnthropic(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Queues replies, answered in order before `fallback`. */
  enqueue(...replies: FakeAnthropicReply[]): void {
    this.script.push(...replies);
  }

  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
    this.fallback = null;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
