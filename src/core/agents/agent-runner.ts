import type Anthropic from '@anthropic-ai/sdk';
import type { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { z } from 'zod';
import { AppConfig } from '../../config/env.schema.js';
import type { WebhookEvent } from '../../generated/prisma/client.js';
import { ActionInFlightError } from '../processing/action-in-flight.error.js';
import { ActionService } from '../actions/action.service.js';
import { ToolRegistry } from '../actions/tool.registry.js';
import type { HandleOptions } from '../processing/event-handler.js';
import { PermanentError } from '../processing/permanent-error.js';
import { RateLimitedError } from '../processing/rate-limited-error.js';
import type { AgentDefinition } from './agent-definition.js';
import { AgentRunLedger } from './agent-run-ledger.js';
import { AgentRunOwner } from './agent-run-owner.js';
import type { AgentRunRequest, AgentRunResult } from './agent-run-request.js';
import { classifyAnthropicError } from './anthropic-error.js';
import type { TokenCounts } from './model-pricing.js';
import { SUBJECT_HISTORY_MAX_EVENTS, SUBJECT_HISTORY_TOOL, SubjectHistory } from './subject-history.js';
import { UNTRUSTED_DATA_RULE, untrustedDataBlock } from './untrusted-data.js';

const subjectHistoryInput = z.strictObject({
  limit: z.number().int().min(1).max(SUBJECT_HISTORY_MAX_EVENTS).optional().describe('How many events, newest first (default 10).'),
});
const CACHED = { type: 'ephemeral' } as const;

/** Why a run stopped before an answer; retrying the same run would stop the same way. */
class RunStopped extends PermanentError {
  constructor(
    readonly stopReason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The SDK and its zod helper, loaded together on first use. */
interface AnthropicSdk {
  client: Anthropic;
  zodOutputFormat: typeof zodOutputFormat;
}

/**
 * Runs an agent on one event: the Messages API tool-use loop with caps on round trips and tokens,
 * prompt caching on the stable prefix (tools + system prompt), every tool call through
 * ActionService, and an AgentRun row with tokens, cost, latency and outcome.
 *
 * An agent with an answer schema gets it through the API's structured outputs
 * (`output_config.format`, built by the SDK's `zodOutputFormat`): the model's final text is
 * constrained to that JSON schema, whatever the prompt says. The runner still checks the answer
 * against the zod schema (some constraints, such as string lengths, are not enforced by the
 * API), asks once for a correction, and stops the run with `invalid_answer` if it still fails.
 */
@Injectable()
export class AgentRunner implements OnApplicationBootstrap {
  private sdk: Promise<AnthropicSdk> | null = null;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly runs: AgentRunLedger,
    private readonly owner: AgentRunOwner,
    private readonly actions: ActionService,
    private readonly tools: ToolRegistry,
    private readonly history: SubjectHistory,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.disabledReason) this.logger.warn(`agents are off: ${this.disabledReason}; agent runs are recorded SKIPPED`);
  }

  /** Why agents cannot run in this process, or null. */
  get disabledReason(): string | null {
    return this.config.ANTHROPIC_API_KEY ? null : 'ANTHROPIC_API_KEY is not set';
  }

  /** Records a SKIPPED run (agents off), for handlers that skip the work leading up to run(). */
  async recordSkipped(event: WebhookEvent, agent: AgentDefinition<unknown>, options?: HandleOptions): Promise<void> {
    await this.runs.skipped(event, agent.name, this.config.ANTHROPIC_MODEL, this.disabledReason ?? 'skipped', options);
  }

  async run<Answer>(request: AgentRunRequest<Answer>): Promise<AgentRunResult<Answer>> {
    const { event, agent } = request;
    const model = this.config.ANTHROPIC_MODEL;
    if (this.disabledReason) {
      const skipped = await this.runs.skipped(event, agent.name, model, this.disabledReason, request.options);
      return { runId: skipped.id, text: '', answer: undefined, skippedReason: this.disabledReason };
    }
    const sdk = await this.anthropic();
    return this.owner.run((ownerId) => this.runAs(ownerId, sdk, request));
  }

  private async runAs<Answer>(ownerId: number, { client, zodOutputFormat }: AnthropicSdk, request: AgentRunRequest<Answer>): Promise<AgentRunResult<Answer>> {
    const { event, agent } = request;
    const model = this.config.ANTHROPIC_MODEL;
    await this.closeInterruptedRuns(event, request.options);
    const run = await this.runs.start(event, agent.name, model, ownerId, request.options);
    const log = this.logger.logger.child({ reqId: event.id, agent: agent.name, runId: run.id });
    const started = Date.now();
    const tokens: TokenCounts = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    let iterations = 0;
    let stopReason: string | null = null;

    try {
      const tools = this.toolDefinitions(agent);
      const system: Anthropic.TextBlockParam[] = [{ type: 'text', text: `${agent.system}\n\n${UNTRUSTED_DATA_RULE}`, cache_control: CACHED }];
      const blocks = Object.entries(request.data).map(([name, value]) => untrustedDataBlock(name, value));
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: [request.task, ...blocks].join('\n\n') }];
      // The answer's schema goes to the API (structured outputs), on every round trip: the same
      // request shape throughout keeps the prompt cache warm.
      const outputConfig: Anthropic.OutputConfig | undefined = agent.answer ? { format: outputFormat(agent, zodOutputFormat) } : undefined;
      let correctedOnce = false;

      for (;;) {
        if (iterations >= this.config.AGENT_MAX_ITERATIONS) {
          throw new RunStopped('max_iterations', `stopped after ${iterations} model round trips (AGENT_MAX_ITERATIONS)`);
        }
        iterations++;
        const response = await client.messages
          .create({
            model,
            max_tokens: this.config.AGENT_MAX_TOKENS,
            system,
            messages,
            ...(tools.length ? { tools } : {}),
            ...(outputConfig ? { output_config: outputConfig } : {}),
          })
          .catch(async (err: unknown) => Promise.reject(await classifyAnthropicError(err, this.config.ANTHROPIC_API_KEY)));
        addUsage(tokens, response.usage);
        stopReason = response.stop_reason;
        await this.runs.progress(run.id, model, iterations, tokens);
        const spent = tokens.inputTokens + tokens.outputTokens + tokens.cacheReadTokens + tokens.cacheWriteTokens;
        if (spent > this.config.AGENT_MAX_TOTAL_TOKENS) {
          throw new RunStopped('token_budget', `stopped after spending ${spent} tokens (AGENT_MAX_TOTAL_TOKENS=${this.config.AGENT_MAX_TOTAL_TOKENS})`);
        }
        messages.push({ role: 'assistant', content: response.content as Anthropic.ContentBlockParam[] });

        if (response.stop_reason === 'tool_use') {
          const calls = response.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
          const results: Anthropic.ToolResultBlockParam[] = [];
          for (const call of calls) results.push(await this.callTool(call, event, agent, run.id, request.options));
          messages.push({ role: 'user', content: results });
          continue;
        }
        if (response.stop_reason === 'refusal') throw new RunStopped('refusal', 'the model refused the task');

        const text = response.content
          .filter((block): block is Anthropic.TextBlock => block.type === 'text')
          .map((block) => block.text)
          .join('\n')
          .trim();
        let answer: Answer | undefined;
        if (agent.answer) {
          const parsed = parseAnswer(text, agent.answer);
          if (!parsed.ok) {
            if (correctedOnce) throw new RunStopped('invalid_answer', `the answer did not match its schema twice: ${parsed.error}`);
            correctedOnce = true;
            messages.push({ role: 'user', content: `Your answer was not valid: ${parsed.error}\nReply again with only the corrected JSON object.` });
            continue;
          }
          answer = parsed.value;
        }
        await this.runs.finish(run.id, model, {
          status: 'SUCCEEDED',
          stopReason,
          iterations,
          tokens,
          latencyMs: Date.now() - started,
          finalText: text,
          answer,
        });
        log.info({ iterations, ...tokens, stopReason }, 'agent run succeeded');
        return { runId: run.id, text, answer, skippedReason: null };
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.runs.finish(run.id, model, {
        status: 'FAILED',
        stopReason: err instanceof RunStopped ? err.stopReason : stopReason,
        iterations,
        tokens,
        latencyMs: Date.now() - started,
        error: message,
      });
      log.warn({ iterations, ...tokens, err: message, permanent: err instanceof PermanentError }, 'agent run failed');
      throw err;
    }
  }

  /**
   * A run of this event (or of this replay) left RUNNING by a process that died is over: this run
   * takes its place. A run whose process is alive is left alone, even if its job lost its lock.
   */
  private async closeInterruptedRuns(event: WebhookEvent, options: HandleOptions = {}): Promise<void> {
    const reason = options.replayId
      ? 'interrupted: the process running this replay stopped before it finished; the replay was started again'
      : `interrupted: the worker running this attempt stopped before it finished; attempt ${event.attempts} took over`;
    const closed = await this.runs.closeInterruptedOf(event, options, reason);
    for (const runId of closed) this.logger.warn({ reqId: event.id, interruptedRunId: runId }, `agent run marked FAILED: ${reason}`);
  }

  /** The SDK is imported on first use: it costs ~22 MB of memory in a process that may never run an agent. */
  private anthropic(): Promise<AnthropicSdk> {
    this.sdk ??= Promise.all([import('@anthropic-ai/sdk'), import('@anthropic-ai/sdk/helpers/zod')]).then(([{ default: Anthropic }, { zodOutputFormat }]) => ({
      client: new Anthropic({
        apiKey: this.config.ANTHROPIC_API_KEY,
        baseURL: this.config.ANTHROPIC_BASE_URL,
        // The SDK retries 408/409/429/5xx (529 overloaded included) with backoff, honouring retry-after.
        maxRetries: 2,
        timeout: 180_000,
        logger: sdkLogger(this.logger),
      }),
      zodOutputFormat,
    }));
    return this.sdk;
  }

  private toolDefinitions(agent: AgentDefinition<unknown>): Anthropic.Tool[] {
    const definitions: Anthropic.Tool[] = agent.tools.map((name) => {
      if (name === SUBJECT_HISTORY_TOOL) {
        return {
          name,
          description: 'Earlier events about the same subject (repository, customer, lead...), newest first, with a payload excerpt each.',
          input_schema: jsonSchema(subjectHistoryInput),
        };
      }
      const tool = this.tools.get(name);
      if (!tool) throw new PermanentError(`agent ${agent.name} lists tool ${name}, which is not registered`);
      return { name, description: tool.description, input_schema: jsonSchema(tool.input) };
    });
    // One cache breakpoint after the last tool caches all tool definitions; the system prompt has its own.
    if (definitions.length > 0) definitions[definitions.length - 1] = { ...definitions[definitions.length - 1], cache_control: CACHED };
    return definitions;
  }

  private async callTool(
    call: Anthropic.ToolUseBlock,
    event: WebhookEvent,
    agent: AgentDefinition<unknown>,
    runId: string,
    options: HandleOptions = {},
  ): Promise<Anthropic.ToolResultBlockParam> {
    const reply = (content: unknown, isError = false): Anthropic.ToolResultBlockParam => ({
      type: 'tool_result',
      tool_use_id: call.id,
      content: JSON.stringify(content),
      ...(isError ? { is_error: true } : {}),
    });

    if (call.name === SUBJECT_HISTORY_TOOL && agent.tools.includes(SUBJECT_HISTORY_TOOL)) {
      const input = subjectHistoryInput.safeParse(call.input);
      if (!input.success) return reply({ error: z.prettifyError(input.error) }, true);
      return reply({ subject: event.subject, events: await this.history.recent(event, input.data.limit) });
    }

    const outcome = await this.actions.execute({
      eventId: event.id,
      runId,
      agent: agent.name,
      allowedTools: agent.tools,
      tool: call.name,
      args: call.input,
      dryRun: options.dryRun,
      replayId: options.repeatActions || options.dryRun ? options.replayId : undefined,
    });
    if (outcome.kind === 'invalid_arguments') return reply({ error: `invalid arguments: ${outcome.error}` }, true);
    // A rate-limited tool ends the run instead of going back to the model: the job waits as long as
    // the API asked, and the next run finds the FAILED action by its key and executes it then.
    if (outcome.retryAfterMs !== undefined) throw new RateLimitedError(`${call.name}: ${outcome.action.error}`, outcome.retryAfterMs);
    const { action, duplicate } = outcome;
    switch (action.status) {
      case 'EXECUTED':
        return reply({ status: 'executed', result: action.result, ...(duplicate ? { note: 'already done earlier; not repeated' } : {}) });
      case 'DRY_RUN':
        return reply({ status: 'dry_run', note: `not executed: ${action.statusReason}` });
      case 'PENDING_APPROVAL':
        return reply({ status: 'pending_approval', note: 'recorded; an operator must approve it before it runs' });
      case 'REJECTED':
        return reply({ status: 'rejected', error: action.statusReason ?? action.rejectionReason ?? 'rejected' }, true);
      case 'FAILED':
        return reply({ status: 'failed', error: action.error }, true);
      case 'EXECUTING':
        // Not "in progress" to the model: the run would succeed without the action if the other run is dead.
        throw new ActionInFlightError(call.name, action);
    }
  }
}

/** The SDK's log lines go through pino (JSON, redaction) rather than the console. */
function sdkLogger(logger: PinoLogger) {
  const write = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string) => logger[level]({ component: 'anthropic-sdk' }, message);
  return { error: write('error'), warn: write('warn'), info: write('debug'), debug: write('debug') };
}

function addUsage(tokens: TokenCounts, usage: Anthropic.Usage): void {
  tokens.inputTokens += usage.input_tokens ?? 0;
  tokens.outputTokens += usage.output_tokens ?? 0;
  tokens.cacheReadTokens += usage.cache_read_input_tokens ?? 0;
  tokens.cacheWriteTokens += usage.cache_creation_input_tokens ?? 0;
}

function jsonSchema(schema: z.ZodType): Anthropic.Tool.InputSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return { ...rest, type: 'object' } as Anthropic.Tool.InputSchema;
}

/**
 * The agent's answer schema as the API's output format. Only the wire part of the SDK's format is
 * sent: its `parse` (JSON.parse + zod, throwing) is left out, since the runner parses the answer
 * itself and asks for a correction rather than throw. A schema JSON Schema cannot express (a
 * transform, a date) stops the run for good: retrying cannot fix the agent's definition.
 */
function outputFormat(agent: AgentDefinition<unknown>, build: typeof zodOutputFormat): Anthropic.JSONOutputFormat {
  try {
    const { type, schema } = build(agent.answer!);
    return { type, schema };
  } catch (err) {
    throw new RunStopped('invalid_answer_schema', `the answer schema of agent ${agent.name} cannot be sent as an output format: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Parses the answer and validates it against the agent's zod schema: the safety net behind the
 * API's structured outputs. The API sends the bare JSON object; a ```json fence or prose around
 * the object (a gateway that ignores output_config, say) is tolerated.
 */
function parseAnswer<Answer>(text: string, schema: z.ZodType<Answer>): { ok: true; value: Answer } | { ok: false; error: string } {
  const json = parseJson(text) ?? parseJson(/```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1] ?? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));
  if (json === undefined) return { ok: false, error: 'the answer is not a JSON object' };
  const result = schema.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: z.prettifyError(result.error) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
