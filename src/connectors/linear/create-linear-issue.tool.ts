import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AgentTool, parseToolArgs, type ToolExecutionContext } from '../../core/index.js';
import { LinearConnector, type CreatedLinearIssue } from './linear.connector.js';

/** Linear's numeric priorities. */
const PRIORITIES = { none: 0, urgent: 1, high: 2, medium: 3, low: 4 } as const;

const input = z.strictObject({
  title: z.string().trim().min(1).max(255),
  description: z.string().max(100_000).optional().describe('Markdown body of the issue.'),
  priority: z.enum(['urgent', 'high', 'medium', 'low', 'none']).optional().describe('Defaults to none.'),
  due_date: z.iso.date().optional().describe('Due date, YYYY-MM-DD.'),
  assignee_email: z.email().optional().describe('E-mail of the Linear user to assign; left unassigned when no Linear user has it.'),
});

/** `create_linear_issue`: one issue in the configured Linear team. */
@Injectable()
@AgentTool()
export class CreateLinearIssueTool implements AgentTool<typeof input> {
  static readonly NAME = 'create_linear_issue';
  readonly name = CreateLinearIssueTool.NAME;
  readonly description = 'Open an issue in the team\'s Linear workspace; returns its identifier (e.g. ENG-123) and URL.';
  readonly input = input;
  readonly destructive = false;

  constructor(@Inject(LinearConnector) private readonly linear: LinearConnector) {}

  unavailableReason(): string | null {
    return this.linear.unavailableReason();
  }

  async execute(args: z.infer<typeof input>, context: ToolExecutionContext): Promise<CreatedLinearIssue> {
    const a = parseToolArgs(this.name, input, args);
    return this.linear.createIssue(
      {
        title: a.title,
        description: a.description,
        priority: a.priority === undefined ? undefined : PRIORITIES[a.priority],
        dueDate: a.due_date,
        assigneeEmail: a.assignee_email,
      },
      context.idempotencyKey,
    );
  }

  externalIds(result: CreatedLinearIssue): string[] {
    return result.id ? [`linear:issue:${result.id}`] : [];
  }
}
