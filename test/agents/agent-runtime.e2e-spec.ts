import { ConflictException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { WebhookEvent } from '../../src/generated/prisma/client.js';
import type { AgentTool } from '../../src/core/actions/agent-tool.js';
import { ActionService } from '../../src/core/actions/action.service.js';
import { actionIdempotencyKey } from '../../src/core/actions/idempotency-key.js';
import { ToolRegistry } from '../../src/core/actions/tool.registry.js';
import type { AgentDefinition } from '../../src/core/agents/agent-definition.js';
import { AgentRunner } from '../../src/core/agents/agent-runner.js';
import { SUBJECT_HISTORY_TOOL } from '../../src/core/agents/subject-history.js';
import { connectorRateLimited } from '../../src/core/connectors/connector-error.js';
import { PermanentError } from '../../src/core/processing/permanent-error.js';
import { RateLimitedError } from '../../src/core/processing/rate-limited-error.js';
import { apiError, endTurn, FakeAnthropic, outputSchemaOf, toolUse } from '../support/fake-anthropic.js';
import { capturedLogLines } from '../support/log-capture.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';

/** A tool that records its calls, so tests can count executions; `firstCallError`, if any, is what its first call throws. */
function recordingTool(name: string, destructive: boolean, unavailable: string | null = null, firstCallError?: Error) {
  const calls: unknown[] = [];
  const tool: AgentTool = {
    name,
    description: `test tool ${name}`,
    input: z.strictObject({ target: z.string() }),
    destructive,
    unavailableReason: () => unavailable,
    execute: async (args) => {
      calls.push(args);
      if (firstCallError && calls.length === 1) throw firstCallError;
      await new Promise((resolve) => setTimeout(resolve, 20)); // widen the window for concurrent callers
      return { done: (args as { target: string }).target };
    },
  };
  return { tool, calls };
}

describe('AgentRunner and ActionService (real PostgreSQL, fake Anthropic API)', () => {
  let t: TestApp;
  let anthropic: FakeAnthropic;
  let runner: AgentRunner;
  let actions: ActionService;
  const note = recordingTool('test_note', false);
  const revoke = recordingTool('test_revoke_key', true);
  const offline = recordingTool('test_offline', false, 'TEST_TOKEN is not set');
  const offlineDestructive = recordingTool('test_offline_rollback', true, 'TEST_ROLLBACK_URL is not set');
  const agent: AgentDefinition = { name: 'test-agent', system: 'You are a test agent.', tools: [SUBJECT_HISTORY_TOOL, 'test_note', 'test_revoke_key', 'test_offline'] };

  async function event(subject = 'acme/widgets', receivedAt = new Date()): Promise<WebhookEvent> {
    return t.prisma.webhookEvent.create({
      data: { id: randomUUID(), provider: 'test', deliveryId: randomUUID(), eventType: 'thing.happened', subject, payload: { n: 1 }, receivedAt },
    });
  }

  beforeAll(async () => {
    anthropic = await FakeAnthropic.start();
    t = await startTestApp({
      ANTHROPIC_API_KEY: 'sk-ant-test-key-never-logged',
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_MODEL: 'claude-sonnet-4-6',
      AGENT_MAX_ITERATIONS: '4',
      AGENT_MAX_TOTAL_TOKENS: '50000',
    });
    runner = t.app.get(AgentRunner);
    actions = t.app.get(ActionService);
    for (const { tool } of [note, revoke, offline, offlineDestructive]) t.app.get(ToolRegistry).register(tool);
  });
  afterAll(async () => {
    await t?.close();
    await anthropic?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    anthropic.reset();
    for (const { calls } of [note, revoke, offline, offlineDestructive]) calls.length = 0;
  });

  it('runs the tool loop, caches tools and system prompt, wraps data, and stores tokens and cost that add up', async () => {
    const older = await event('acme/widgets', new Date(Date.now() - 60_000));
    const e = await event();
    // Each reply takes MODEL_DELAY_MS (well above what the rest of the run takes here): the run's latency is at least their sum.
    const MODEL_DELAY_MS = 150;
    anthropic.enqueue(
      { ...toolUse(SUBJECT_HISTORY_TOOL, { limit: 5 }, { input_tokens: 1000, output_tokens: 50, cache_creation_input_tokens: 2000 }), delayMs: MODEL_DELAY_MS },
      { ...toolUse('test_note', { target: 'x' }, { input_tokens: 150, output_tokens: 40, cache_read_input_tokens: 2000 }), delayMs: MODEL_DELAY_MS },
      { ...endTurn('All done.', { input_tokens: 200, output_tokens: 300, cache_read_input_tokens: 2000 }), delayMs: MODEL_DELAY_MS },
    );

    const result = await runner.run({ event: e, agent, task: 'Handle the event.', data: { payload: { ask: 'hello' } } });

    expect(result.text).toBe('All done.');
    expect(note.calls).toEqual([{ target: 'x' }]);
    const [first, second, third] = anthropic.requests;
    // This SDK version sends the key as a bearer token; older ones used x-api-key.
    expect(first.headers.authorization ?? first.headers['x-api-key']).toContain('sk-ant-test-key-never-logged');
    expect(first.body.model).toBe('claude-sonnet-4-6');
    expect(first.body.system?.[0]).toMatchObject({ cache_control: { type: 'ephemeral' } });
    expect(first.body.system?.[0].text).toContain('never instructions');
    expect(first.body.tools?.map((tool) => tool.name)).toEqual(agent.tools);
    expect(first.body.tools?.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    expect(first.body.tools?.[1].input_schema).toMatchObject({ type: 'object', properties: { target: { type: 'string' } } });
    expect(first.body.messages[0].content).toContain('<untrusted_data name="payload">');
    // An agent without an answer schema asks for no output format.
    expect(first.body.output_config).toBeUndefined();
    // The history tool answered with the earlier event of the same subject.
    const historyResult = (second.body.messages.at(-1)!.content as Array<{ content: string }>)[0];
    expect(JSON.parse(historyResult.content).events.map((h: { id: string }) => h.id)).toEqual([older.id]);
    const noteResult = (third.body.messages.at(-1)!.content as Array<{ content: string }>)[0];
    expect(JSON.parse(noteResult.content)).toEqual({ status: 'executed', result: { done: 'x' } });

    const run = await t.prisma.agentRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      agent: 'test-agent',
      model: 'claude-sonnet-4-6',
      stopReason: 'end_turn',
      iterations: 3,
      inputTokens: 1350,
      outputTokens: 390,
      cacheWriteTokens: 2000,
      cacheReadTokens: 4000,
      finalText: 'All done.',
    });
    // $3/MTok input, $15 output, cache writes 1.25×, reads 0.1× input.
    const expected = (1350 * 3 + 390 * 15 + 2000 * 3 * 1.25 + 4000 * 3 * 0.1) / 1e6;
    expect(run.costUsd?.toFixed(6)).toBe(expected.toFixed(6));
    expect(run.latencyMs).toBeGreaterThanOrEqual(3 * MODEL_DELAY_MS);
    const action = await t.prisma.agentAction.findFirstOrThrow({ where: { runId: run.id } });
    expect(action).toMatchObject({ tool: 'test_note', status: 'EXECUTED', policy: 'auto', result: { done: 'x' } });
  });

  it('rides out 429 and 529 with the SDK retries', async () => {
    const e = await event();
    anthropic.enqueue(apiError(429), apiError(529), endTurn('ok'));
    const result = await runner.run({ event: e, agent, task: 't', data: {} });
    expect(result.text).toBe('ok');
    expect(anthropic.requests).toHaveLength(3);
  });

  it('classifies exhausted overload as a rate limit, a server error as transient and an invalid request as permanent, recording the runs FAILED', async () => {
    const e = await event();
    anthropic.enqueue(apiError(529), apiError(529), { ...apiError(529), headers: { 'retry-after': '15' } });
    const overloaded = await runner.run({ event: e, agent, task: 't', data: {} }).catch((err: unknown) => err);
    expect(overloaded).toBeInstanceOf(RateLimitedError);
    expect(overloaded).toMatchObject({ retryAfterMs: 15_000, message: expect.stringContaining('529') });

    anthropic.enqueue(apiError(500), apiError(500), apiError(500));
    const transient = await runner.run({ event: e, agent, task: 't', data: {} }).catch((err: unknown) => err);
    expect(transient).toBeInstanceOf(Error);
    expect(transient).not.toBeInstanceOf(PermanentError);
    expect(transient).not.toBeInstanceOf(RateLimitedError);
    expect((transient as Error).message).toContain('500');

    anthropic.enqueue(apiError(400));
    const permanent = await runner.run({ event: e, agent, task: 't', data: {} }).catch((err: unknown) => err);
    expect(permanent).toBeInstanceOf(PermanentError);

    const runs = await t.prisma.agentRun.findMany({ where: { eventId: e.id }, orderBy: { startedAt: 'asc' } });
    expect(runs.map((r) => r.status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect(runs[2].error).toContain('400');
  });

  // A gateway in front of Anthropic (ANTHROPIC_BASE_URL) may quote the credential it refused.
  it('keeps the API key out of the error, the run and the logs when the upstream echoes it', async () => {
    const e = await event();
    const since = capturedLogLines.length;
    const key = 'sk-ant-test-key-never-logged';
    anthropic.enqueue({ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${key}` } } });
    const refused = await runner.run({ event: e, agent, task: 't', data: {} }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(PermanentError);
    expect((refused as Error).message).toContain('invalid x-api-key: [redacted]');
    const [run] = await t.prisma.agentRun.findMany({ where: { eventId: e.id } });
    expect(run.error).toContain('[redacted]');
    expect(run.error).not.toContain(key);
    expect(capturedLogLines.slice(since).join('\n')).not.toContain(key);
  });

  it('validates a structured answer and retries once with the validation error', async () => {
    const e = await event();
    const answering: AgentDefinition<{ verdict: 'ok' | 'bad' }> = { ...agent, tools: [], answer: z.strictObject({ verdict: z.enum(['ok', 'bad']) }) };
    anthropic.enqueue(endTurn('{"verdict": "maybe"}'), endTurn('```json\n{"verdict": "ok"}\n```'));
    const result = await runner.run({ event: e, agent: answering, task: 't', data: {} });
    expect(result.answer).toEqual({ verdict: 'ok' });
    expect(anthropic.requests[1].body.messages.at(-1)?.content).toContain('Your answer was not valid');
    // The schema went to the API as the output format (structured outputs), on the correction too.
    expect(outputSchemaOf(anthropic.requests[0])).toEqual({
      type: 'object',
      properties: { verdict: { enum: ['ok', 'bad'] } },
      required: ['verdict'],
      additionalProperties: false,
    });
    expect(outputSchemaOf(anthropic.requests[1])).toEqual(outputSchemaOf(anthropic.requests[0]));
    expect((await t.prisma.agentRun.findUniqueOrThrow({ where: { id: result.runId } })).answer).toEqual({ verdict: 'ok' });

    anthropic.enqueue(endTurn('no json here'), endTurn('{"verdict": 1}'));
    await expect(runner.run({ event: e, agent: answering, task: 't', data: {} })).rejects.toBeInstanceOf(PermanentError);
    const failed = await t.prisma.agentRun.findFirstOrThrow({ where: { eventId: e.id, status: 'FAILED' } });
    expect(failed.stopReason).toBe('invalid_answer');
  });

  it('fails for good, asking nothing, when the answer schema cannot be sent as an output format', async () => {
    const e = await event();
    const dated: AgentDefinition<{ when: Date }> = { ...agent, tools: [], answer: z.strictObject({ when: z.date() }) };
    const err = await runner.run({ event: e, agent: dated, task: 't', data: {} }).catch((error: unknown) => error);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toContain('the answer schema of agent test-agent cannot be sent as an output format');
    expect(anthropic.requests).toHaveLength(0);
    expect(await t.prisma.agentRun.findFirstOrThrow({ where: { eventId: e.id } })).toMatchObject({ status: 'FAILED', stopReason: 'invalid_answer_schema' });
  });

  it('stops a run at the iteration cap and at the token budget', async () => {
    const e = await event();
    anthropic.fallback = () => toolUse(SUBJECT_HISTORY_TOOL, {});
    await expect(runner.run({ event: e, agent, task: 't', data: {} })).rejects.toThrow(/AGENT_MAX_ITERATIONS/);
    expect(anthropic.requests).toHaveLength(4);

    anthropic.reset();
    anthropic.fallback = () => toolUse(SUBJECT_HISTORY_TOOL, {}, { input_tokens: 30_000, output_tokens: 10 });
    await expect(runner.run({ event: e, agent, task: 't', data: {} })).rejects.toThrow(/AGENT_MAX_TOTAL_TOKENS/);
    const runs = await t.prisma.agentRun.findMany({ where: { eventId: e.id }, orderBy: { startedAt: 'asc' } });
    expect(runs.map((r) => [r.stopReason, r.iterations])).toEqual([
      ['max_iterations', 4],
      ['token_budget', 2],
    ]);
    expect(runs[1].inputTokens).toBe(60_000);
  });

  it('does not repeat a tool call when the job is retried after the model failed between tool call and completion', async () => {
    const e = await event();
    anthropic.enqueue(toolUse('test_note', { target: 'once' }), apiError(500), apiError(500), apiError(500));
    await expect(runner.run({ event: e, agent, task: 't', data: {} })).rejects.toThrow(/500/);
    expect(note.calls).toHaveLength(1);

    // The retried job: the model asks for the same call again.
    anthropic.enqueue(toolUse('test_note', { target: 'once' }), endTurn('finished'));
    await runner.run({ event: e, agent, task: 't', data: {} });
    expect(note.calls).toHaveLength(1);
    const toolResult = (anthropic.requests.at(-1)!.body.messages.at(-1)!.content as Array<{ content: string }>)[0];
    expect(JSON.parse(toolResult.content)).toMatchObject({ status: 'executed', note: 'already done earlier; not repeated' });
    expect(await t.prisma.agentAction.count({ where: { eventId: e.id } })).toBe(1);
  });

  it('fails the attempt rather than succeed without an action another run left EXECUTING, and runs it once it is swept FAILED', async () => {
    const e = await event();
    // A worker killed while it executed this very call: its row stays EXECUTING until swept.
    const key = actionIdempotencyKey(e.id, 'test_note', { target: 'cut' });
    await t.prisma.agentAction.create({
      data: { eventId: e.id, agent: 'test-agent', tool: 'test_note', arguments: { target: 'cut' }, idempotencyKey: key, status: 'EXECUTING', policy: 'auto' },
    });
    anthropic.enqueue(toolUse('test_note', { target: 'cut' }));
    await expect(runner.run({ event: e, agent, task: 't', data: {} })).rejects.toThrow(/test_note: action .* is EXECUTING in another run/);
    expect(note.calls).toHaveLength(0);

    await t.prisma.agentAction.update({ where: { idempotencyKey: key }, data: { status: 'FAILED', error: 'interrupted: whether it took effect is unknown' } });
    anthropic.enqueue(toolUse('test_note', { target: 'cut' }), endTurn('finished'));
    await runner.run({ event: e, agent, task: 't', data: {} });
    expect(note.calls).toEqual([{ target: 'cut' }]);
    expect(await t.prisma.agentAction.findUniqueOrThrow({ where: { idempotencyKey: key } })).toMatchObject({ status: 'EXECUTED' });
    const runs = await t.prisma.agentRun.findMany({ where: { eventId: e.id }, orderBy: { startedAt: 'asc' } });
    expect(runs.map((run) => run.status)).toEqual(['FAILED', 'SUCCEEDED']);
  });

  it('ends the run with RateLimitedError when a tool is rate limited, and executes the action on the next run', async () => {
    const { tool: limited, calls } = recordingTool('test_rate_limited', false, null, connectorRateLimited('test-api', 'HTTP 429', 4000, []));
    t.app.get(ToolRegistry).register(limited);
    const limitedAgent: AgentDefinition = { ...agent, tools: ['test_rate_limited'] };
    const e = await event();

    anthropic.enqueue(toolUse('test_rate_limited', { target: 'x' }));
    const err = await runner.run({ event: e, agent: limitedAgent, task: 't', data: {} }).catch((error: unknown) => error);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toMatchObject({ retryAfterMs: 4000, message: 'test_rate_limited: test-api: HTTP 429' });
    expect(anthropic.requests).toHaveLength(1); // the model was not told, the run ended
    expect(await t.prisma.agentAction.findFirstOrThrow({ where: { eventId: e.id } })).toMatchObject({ status: 'FAILED' });

    anthropic.enqueue(toolUse('test_rate_limited', { target: 'x' }), endTurn('done'));
    await runner.run({ event: e, agent: limitedAgent, task: 't', data: {} });
    expect(calls).toHaveLength(2);
    expect(await t.prisma.agentAction.findFirstOrThrow({ where: { eventId: e.id } })).toMatchObject({ status: 'EXECUTED' });
    const runs = await t.prisma.agentRun.findMany({ where: { eventId: e.id }, orderBy: { startedAt: 'asc' } });
    expect(runs.map((run) => run.status)).toEqual(['FAILED', 'SUCCEEDED']);
  });

  it('executes one action once under 20 concurrent identical calls (unique key in Postgres)', async () => {
    const e = await event();
    const request = { eventId: e.id, agent: 'test-agent', allowedTools: ['test_note'], tool: 'test_note', args: { target: 'same' } };
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => actions.execute(request)));
    expect(note.calls).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'recorded' && !o.duplicate)).toHaveLength(1);
    expect(await t.prisma.agentAction.count({ where: { eventId: e.id } })).toBe(1);
  });

  it('keeps a destructive tool PENDING_APPROVAL; concurrent approvals execute it exactly once', async () => {
    const e = await event();
    anthropic.enqueue(toolUse('test_revoke_key', { target: 'AKIA123' }), endTurn('asked for approval'));
    await runner.run({ event: e, agent, task: 't', data: {} });
    expect(revoke.calls).toHaveLength(0);
    const pending = await t.prisma.agentAction.findFirstOrThrow({ where: { eventId: e.id } });
    expect(pending).toMatchObject({ status: 'PENDING_APPROVAL', policy: 'approval', statusReason: 'destructive tool: waits for an operator' });
    const toolResult = (anthropic.requests[1].body.messages.at(-1)!.content as Array<{ content: string }>)[0];
    expect(JSON.parse(toolResult.content).status).toBe('pending_approval');

    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => actions.approve(pending.id, `operator-${i}`)));
    expect(revoke.calls).toEqual([{ target: 'AKIA123' }]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof ConflictException)).toBe(true);
    const executed = await t.prisma.agentAction.findUniqueOrThrow({ where: { id: pending.id } });
    expect(executed).toMatchObject({ status: 'EXECUTED', result: { done: 'AKIA123' }, approvedBy: expect.stringMatching(/^operator-\d$/) });
    expect(executed.approvedAt).not.toBeNull();
  });

  it('rejects a pending action for good, with who and why', async () => {
    const e = await event();
    const outcome = await actions.execute({ eventId: e.id, agent: 'a', allowedTools: ['test_revoke_key'], tool: 'test_revoke_key', args: { target: 'k' } });
    const id = outcome.kind === 'recorded' ? outcome.action.id : '';
    const rejected = await actions.reject(id, 'alice', 'false positive');
    expect(rejected).toMatchObject({ status: 'REJECTED', rejectedBy: 'alice', rejectionReason: 'false positive' });
    await expect(actions.approve(id, 'bob')).rejects.toBeInstanceOf(ConflictException);
    expect(revoke.calls).toHaveLength(0);
  });

  it('refuses tools outside the allow-list, dry-runs unavailable connectors, and says why in the row', async () => {
    const e = await event();
    const outside = await actions.execute({ eventId: e.id, agent: 'a', allowedTools: ['test_note'], tool: 'test_revoke_key', args: { target: 'k' } });
    const offlineRun = await actions.execute({ eventId: e.id, agent: 'a', allowedTools: ['test_offline'], tool: 'test_offline', args: { target: 'k' } });
    const invalid = await actions.execute({ eventId: e.id, agent: 'a', allowedTools: ['test_note'], tool: 'test_note', args: { target: 3 } });
    const offlineDestructiveRun = await actions.execute({ eventId: e.id, agent: 'a', allowedTools: ['test_offline_rollback'], tool: 'test_offline_rollback', args: { target: 'k' } });
    expect(outside).toMatchObject({ kind: 'recorded', action: { status: 'REJECTED', statusReason: 'test_revoke_key is not in the allow-list of agent a' } });
    expect(offlineRun).toMatchObject({ kind: 'recorded', action: { status: 'DRY_RUN', statusReason: 'TEST_TOKEN is not set' } });
    // Not configured wins over approval: nobody is asked to approve what cannot run.
    expect(offlineDestructiveRun).toMatchObject({ kind: 'recorded', action: { status: 'DRY_RUN', policy: 'approval', statusReason: 'TEST_ROLLBACK_URL is not set' } });
    expect(invalid.kind).toBe('invalid_arguments');
    expect(revoke.calls.length + offline.calls.length + note.calls.length + offlineDestructive.calls.length).toBe(0);
    expect(await t.prisma.agentAction.count({ where: { eventId: e.id } })).toBe(3);
  });
});
