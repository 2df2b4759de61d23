import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { LinearClient, LinearError, LinearErrorType } from '@linear/sdk';
import { AppConfig } from '../../config/env.schema.js';
import { secretValuesOf } from '../../config/settings-reference.js';
import { LinearConnectorConfig } from './linear-connector.config.js';
import { connectorError, connectorRateLimited, isPermanentHttpStatus, networkFailureDetail, rateLimitPauseMs } from '../../core/index.js';

export interface NewLinearIssue {
  title: string;
  description?: string;
  /** Linear's scale: 0 none, 1 urgent, 2 high, 3 medium, 4 low. */
  priority?: number;
  /** YYYY-MM-DD. */
  dueDate?: string;
  /** Assigns the Linear user with this e-mail, when there is one. */
  assigneeEmail?: string;
}

export interface CreatedLinearIssue {
  id: string;
  identifier: string;
  url: string;
  title: string;
  /** True when an earlier attempt of this same action had already created it. */
  already_existed: boolean;
  /** The Linear user assigned (found by assigneeEmail), if any. */
  assignee_id?: string;
}

/*
 * Our own documents, sent through the SDK's GraphQL client (same auth, base URL and error types):
 * the SDK's createIssue selects only the new issue's id, and the agent needs its identifier and URL
 * (to link it in Slack, say) without a second, heavyweight Issue query.
 */
const CREATE_ISSUE = `mutation HookwiseIssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { id identifier url title } }
}`;
const FIND_USER = `query HookwiseUserByEmail($email: String!) {
  users(filter: { email: { eq: $email } }, first: 1) { nodes { id } }
}`;
const FIND_ISSUE = `query HookwiseIssue($id: String!) {
  issue(id: $id) { id identifier url title }
}`;

type IssueFields = Omit<CreatedLinearIssue, 'already_existed'>;

// LinearErrorType's values: the SDK itself is imported on first use (see linear()).
const PERMANENT_TYPES = new Set<`${LinearErrorType}`>([
  'InvalidInput',
  'AuthenticationError',
  'Forbidden',
  'FeatureNotAccessible',
  'UserError',
  'GraphqlError',
  'UsageLimitExceeded',
]);
const TRANSIENT_TYPES = new Set<`${LinearErrorType}`>(['Ratelimited', 'NetworkError', 'InternalError', 'LockTimeout']);

/** Creates issues in LINEAR_TEAM_ID with @linear/sdk against LINEAR_API_URL. */
@Injectable()
export class LinearConnector {
  constructor(
    @Inject(LinearConnectorConfig) private readonly settings: LinearConnectorConfig,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  unavailableReason(): string | null {
    if (!this.settings.LINEAR_API_KEY) return 'LINEAR_API_KEY is not set';
    if (!this.settings.LINEAR_TEAM_ID) return 'LINEAR_TEAM_ID is not set';
    return null;
  }

  async createIssue(issue: NewLinearIssue, idempotencyKey: string): Promise<CreatedLinearIssue> {
    const reason = this.unavailableReason();
    if (reason) throw connectorError('linear', reason, { permanent: true, secrets: [] });
    const client = await this.linear();
    // Linear accepts a client-chosen id: deriving it from the idempotency key makes a retried create
    // after a crash collide with the first one instead of opening a second issue.
    const id = uuidFromKey(idempotencyKey);
    const assigneeId = issue.assigneeEmail ? await this.userIdByEmail(client, issue.assigneeEmail) : undefined;
    const input = {
      id,
      teamId: this.settings.LINEAR_TEAM_ID,
      title: issue.title,
      description: issue.description,
      priority: issue.priority,
      dueDate: issue.dueDate,
      assigneeId,
    };
    let data: { issueCreate: { success: boolean; issue: IssueFields | null } };
    try {
      data = await client.client.request<typeof data, { input: typeof input }>(CREATE_ISSUE, { input });
    } catch (err) {
      const { error, type } = await this.classify(err);
      // An invalid-input refusal may be Linear rejecting the id an earlier, unrecorded attempt already used.
      const existing = type === 'InvalidInput' || type === 'UserError' ? await this.find(client, id) : null;
      if (existing) return { ...existing, already_existed: true };
      throw error;
    }
    const created = data.issueCreate.success ? data.issueCreate.issue : null;
    if (!created) throw connectorError('linear', 'issueCreate reported no success', { permanent: false, secrets: this.secrets() });
    return { ...created, already_existed: false, ...(assigneeId ? { assignee_id: assigneeId } : {}) };
  }

  /** The id of the Linear user with this e-mail, or undefined (the issue is then left unassigned). */
  private async userIdByEmail(client: LinearClient, email: string): Promise<string | undefined> {
    try {
      const data = await client.client.request<{ users: { nodes: Array<{ id: string }> } }, { email: string }>(FIND_USER, { email });
      return data.users.nodes[0]?.id;
    } catch (err) {
      throw (await this.classify(err)).error;
    }
  }

  private async find(client: LinearClient, id: string): Promise<IssueFields | null> {
    try {
      const data = await client.client.request<{ issue: IssueFields | null }, { id: string }>(FIND_ISSUE, { id });
      return data.issue;
    } catch {
      return null;
    }
  }

  /**
   * A client per action: the SDK has no timeout, and the options it passes to every fetch are fixed
   * at construction, so each action's requests share one deadline (a Linear that never answers would
   * hold the job forever). The SDK is imported on first use: it costs ~27 MB of memory in a process
   * that may never call Linear.
   */
  private async linear(): Promise<LinearClient> {
    const { LinearClient } = await import('@linear/sdk');
    try {
      return new LinearClient({ apiKey: this.settings.LINEAR_API_KEY, apiUrl: this.settings.LINEAR_API_URL, signal: AbortSignal.timeout(this.config.CONNECTOR_TIMEOUT_MS) });
    } catch (err) {
      // e.g. an http:// LINEAR_API_URL that is not a local server: the SDK refuses it.
      throw connectorError('linear', (err as Error).message, { permanent: true, secrets: this.secrets() });
    }
  }

  private async classify(err: unknown): Promise<{ error: Error; type: `${LinearErrorType}` }> {
    const { LinearError, RatelimitedLinearError, parseLinearError } = await import('@linear/sdk');
    const secrets = this.secrets();
    const isGraphQlFailure = typeof err === 'object' && err !== null && 'response' in err;
    if (!(err instanceof LinearError) && !isGraphQlFailure) {
      const error = connectorError('linear', `request failed: ${networkFailureDetail(err, this.config.CONNECTOR_TIMEOUT_MS)}`, { permanent: false, secrets });
      return { error, type: 'NetworkError' };
    }
    const linear = parseLinearError(err as LinearError);
    const status = typeof linear.status === 'number' ? linear.status : undefined;
    const type: `${LinearErrorType}` = linear.type ?? 'Unknown';
    const permanent = PERMANENT_TYPES.has(type)
      ? true
      : TRANSIENT_TYPES.has(type)
        ? false
        : status !== undefined && isPermanentHttpStatus(status);
    const detail = `${type}${status ? ` (HTTP ${status})` : ''}: ${linear.message}`;
    if (linear instanceof RatelimitedLinearError) {
      // The SDK keeps the answer's retry-after (seconds) and no other header.
      const waitMs = rateLimitPauseMs({ 'retry-after': linear.retryAfter });
      return { error: connectorRateLimited('linear', detail, waitMs, secrets), type };
    }
    return { error: connectorError('linear', detail, { permanent, secrets }), type };
  }

  private secrets(): Array<string | undefined> {
    return secretValuesOf(this.settings);
  }
}

/** A UUID in v4 format derived from the key, so the same action always proposes the same issue id. */
function uuidFromKey(key: string): string {
  const bytes = createHash('sha256').update(`linear-issue:${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
