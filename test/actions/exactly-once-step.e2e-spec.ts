import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentTool } from '../../src/core/actions/agent-tool.js';
import { ActionService } from '../../src/core/actions/action.service.js';
import { ExactlyOnceStep } from '../../src/core/agents/exactly-once-step.js';
import type { ExactlyOnceStepRequest } from '../../src/core/agents/exactly-once-step-request.js';
import { ToolRegistry } from '../../src/core/actions/tool.registry.js';
import type { AgentDefinition } from '../../src/core/agents/agent-definition.js';
import { PermanentError } from '../../src/core/processing/permanent-error.js';
import type { WebhookEvent } from '../../src/generated/prisma/client.js';
import { endTurn, FakeAnthropic, outputSchemaOf } from '../support/fake-anthropic.js';
import { resetLedger, startTestApp, type TestApp } from '../support/test-app.js';

/** A tool that records its calls; it can only dry-run while `unavailable` is set. */
function switchableTool(name: string, destructive: boolean) {
  const state = { unavailable: null as string | null, calls: [] as unknown[] };
  const tool: AgentTool = {
    name,
    description: `test tool ${name}`,
    input: z.strictObject({ ticket: z.string(), text: z.string() }),
    destructive,
    unavailableReason: () => state.unavailable,
    execute: async (args) => {
      state.calls.push(args);
      return { posted: true };
    },
  };
  return { tool, state };
}

type Note = { text: string };

/**
 * What ExactlyOnceStep adds beyond the GitHub review's exactly-once specs (which it also runs):
 * the dry run redone once its tool can act, an approval-policy step, and steps that are not wired
 * up. It is driven directly, with a synthetic agent and tools, against the real ledger and the
 * Anthropic stand-in.
 */
describe('ExactlyOnceStep (real PostgreSQL, Anthropic stand-in)', () => {
  let t: TestApp;
  let anthropic: FakeAnthropic;
  let step: ExactlyOnceStep;
  const notes = switchableTool('test_post_note', false);
  const closer = switchableTool('test_close_ticket', true);
  const agent: AgentDefinition<Note> = {
    name: 'test-note-agent',
    system: 'You write a note about the ticket.',
    tools: [],
    stepTools: ['test_post_note', 'test_close_ticket'],
    answer: z.strictObject({ text: z.string().min(1) }),
  };
  let produced = 0;

  function request(event: WebhookEvent, overrides: Partial<ExactlyOnceStepRequest<Note>> = {}): ExactlyOnceStepRequest<Note> {
    return {
      event,
      key: 'test-note-agent:ticket-7',
      agent,
      tool: 'test_post_note',
      label: 'posting the note',
      alreadyDone: 'ticket 7 already has its note',
      produce: async (ask) => {
        produced++;
        const note = await ask('Write the note.', { ticket: { id: 7 } });
        return { ticket: '7', text: note.text };
      },
      ...overrides,
    };
  }

  async function event(): Promise<WebhookEvent> {
    return t.prisma.webhookEvent.create({
      data: { id: randomUUID(), provider: 'test', deliveryId: randomUUID(), eventType: 'ticket.opened', subject: 'ticket-7', payload: { id: 7 } },
    });
  }

  beforeAll(async () => {
    anthropic = await FakeAnthropic.start();
    t = await startTestApp({ ANTHROPIC_API_KEY: 'sk-ant-test-step', ANTHROPIC_BASE_URL: anthropic.url });
    for (const { tool } of [notes, closer]) t.app.get(ToolRegistry).register(tool);
    step = t.app.get(ExactlyOnceStep);
  });
  afterAll(async () => {
    await t?.close();
    await anthropic?.close();
  });
  beforeEach(async () => {
    await resetLedger(t.prisma);
    anthropic.reset();
    anthropic.fallback = () => endTurn(JSON.stringify({ text: 'Looked into it.' }));
    produced = 0;
    for (const { state } of [notes, closer]) {
      state.unavailable = null;
      state.calls.length = 0;
    }
  });

  it('records DRY_RUN while its tool cannot act, and acts once with the stored arguments when it can, without asking the model again', async () => {
    const e = await event();
    notes.state.unavailable = 'TEST_NOTES_TOKEN is not set';
    expect(await step.run(request(e))).toEqual({ status: 'succeeded' });
    const dry = await t.prisma.agentAction.findFirstOrThrow({ where: { eventId: e.id } });
    expect(dry).toMatchObject({ status: 'DRY_RUN', statusReason: 'TEST_NOTES_TOKEN is not set', idempotencyKey: 'test-note-agent:ticket-7' });
    expect(outputSchemaOf(anthropic.requests[0])).toMatchObject({ properties: { text: { type: 'string' } } });

    // Still unavailable: the dry run stands.
    expect(await step.run(request(e))).toEqual({ status: 'succeeded' });
    expect(notes.state.calls).toHaveLength(0);

    // The tool can act now (its token was set): the retry acts on the stored arguments.
    notes.state.unavailable = null;
    expect(await step.run(request(e))).toEqual({ status: 'succeeded' });
    expect(notes.state.calls).toEqual([{ ticket: '7', text: 'Looked into it.' }]);
    expect(await t.prisma.agentAction.findUniqueOrThrow({ where: { id: dry.id } })).toMatchObject({ status: 'EXECUTED', runId: dry.runId });

    // Done: this event's retry succeeds, another event with the same key is ignored, and nobody is asked again.
    expect(await step.run(request(e))).toEqual({ status: 'succeeded' });
    const other = await event();
    expect(await step.run(request(other))).toEqual({
      status: 'ignored',
      reason: `ticket 7 already has its note (event ${e.id}, test_post_note EXECUTED)`,
    });
    expect(notes.state.calls).toHaveLength(1);
    expect(produced).toBe(1);
    expect(anthropic.requests).toHaveLength(1);
    expect(await t.prisma.agentAction.count()).toBe(1);
  });

  it('a step whose tool needs approval is recorded PENDING_APPROVAL once; a retry neither asks the model nor the operator again', async () => {
    const e = await event();
    const closing = request(e, { tool: 'test_close_ticket', key: 'test-note-agent:close-7', label: 'closing the ticket' });
    expect(await step.run(closing)).toEqual({ status: 'succeeded' });
    const pending = await t.prisma.agentAction.findFirstOrThrow({ where: { eventId: e.id } });
    expect(pending).toMatchObject({ status: 'PENDING_APPROVAL', policy: 'approval' });

    expect(await step.run(closing)).toEqual({ status: 'succeeded' });
    expect(await t.prisma.agentAction.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: 'PENDING_APPROVAL', updatedAt: pending.updatedAt });
    expect(anthropic.requests).toHaveLength(1);

    await t.app.get(ActionService).approve(pending.id, 'operator');
    expect(closer.state.calls).toEqual([{ ticket: '7', text: 'Looked into it.' }]);
  });

  it('fails permanently, before asking the model or recording anything, when the step is not wired up', async () => {
    const e = await event();
    const cases: Array<[Partial<ExactlyOnceStepRequest<Note>>, string]> = [
      [{ agent: { ...agent, stepTools: [] } }, 'test_post_note is not among the step tools of agent test-note-agent'],
      [{ agent: { ...agent, stepTools: ['test_missing'] }, tool: 'test_missing' }, 'no tool named test_missing is registered'],
      [{ agent: { ...agent, answer: undefined } }, 'agent test-note-agent has no answer schema'],
    ];
    for (const [overrides, message] of cases) {
      const err = await step.run(request(e, overrides)).catch((error: unknown) => error);
      expect(err).toBeInstanceOf(PermanentError);
      expect((err as Error).message).toContain(message);
    }
    expect(produced).toBe(0);
    expect(anthropic.requests).toHaveLength(0);
    expect(await t.prisma.agentAction.count()).toBe(0);
    expect(await t.prisma.agentRun.count()).toBe(0);
  });

  it('a produce that the tool schema refuses fails permanently and records no action', async () => {
    const e = await event();
    const err = await step.run(request(e, { produce: async (ask) => ({ ticket: 7, text: (await ask('Write.', {})).text }) })).catch((error: unknown) => error);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(/^posting the note: the arguments do not match test_post_note's schema/);
    expect(await t.prisma.agentAction.count()).toBe(0);
    expect(await t.prisma.agentRun.findFirstOrThrow({ where: { eventId: e.id } })).toMatchObject({ status: 'SUCCEEDED' });
  });
});
