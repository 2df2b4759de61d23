import { RecordingHttpServer, type FakeHandler, type FakeResponse, type RecordedRequest } from '../../../../test/support/recording-http-server.js';

export interface FakeLinearIssue {
  id: string;
  identifier: string;
  url: string;
  title: string;
  teamId: string;
  description?: string;
  priority?: number;
  dueDate?: string;
  assigneeId?: string;
}

/**
 * Linear GraphQL API stand-in reached through @linear/sdk's `apiUrl`: answers the `issueCreate`
 * mutation (rejecting an id that already exists, as Linear does) and the `issue(id)` query, and
 * refuses requests without the expected API key.
 */
export class FakeLinearApi {
  readonly issues = new Map<string, FakeLinearIssue>();
  /** Linear users: e-mail → user id (answers `users(filter: { email })`). */
  readonly users = new Map<string, string>();
  private seq = 0;

  private constructor(
    readonly server: RecordingHttpServer,
    private readonly apiKey: string,
  ) {}

  static async start(apiKey: string): Promise<FakeLinearApi> {
    let fake: FakeLinearApi | undefined;
    const server = await RecordingHttpServer.start((req) => fake!.graphql(req));
    fake = new FakeLinearApi(server, apiKey);
    return fake;
  }

  /** The value for LINEAR_API_URL. */
  get apiUrl(): string {
    return `${this.server.url}/graphql`;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  static operation(request: RecordedRequest): { query: string; variables: Record<string, any> } {
    return JSON.parse(request.body) as { query: string; variables: Record<string, any> };
  }

  answer(response: FakeResponse | FakeHandler): void {
    this.server.respondWith(typeof response === 'function' ? response : () => response);
  }

  reset(): void {
    this.issues.clear();
    this.users.clear();
    this.server.reset((req) => this.graphql(req));
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** The default answer to a request (a test wrapping `answer` can call it, then fail the response). */
  graphql(req: RecordedRequest): FakeResponse {
    if (req.method !== 'POST' || req.path !== '/graphql') return { status: 404, body: 'not found' };
    if (req.headers.authorization !== this.apiKey) {
      return error(400, 'Authentication required, not authenticated', 'authentication error');
    }
    const { query, variables } = FakeLinearApi.operation(req);
    if (/\bissueCreate\s*\(/.test(query)) {
      const input = variables.input as Partial<FakeLinearIssue> & { teamId?: string };
      if (!input?.title || !input.teamId) return error(400, 'Argument Validation Error', 'invalid input');
      if (input.id && this.issues.has(input.id)) return error(400, 'Entity already exists', 'invalid input');
      this.seq += 1;
      const issue: FakeLinearIssue = {
        id: input.id ?? `00000000-0000-4000-8000-${String(this.seq).padStart(12, '0')}`,
        identifier: `ENG-${this.seq}`,
        url: `https://linear.app/acme/issue/ENG-${this.seq}`,
        title: input.title,
        teamId: input.teamId,
        description: input.description,
        priority: input.priority,
        dueDate: input.dueDate,
        assigneeId: input.assigneeId,
      };
      this.issues.set(issue.id, issue);
      return { status: 200, body: { data: { issueCreate: { success: true, lastSyncId: this.seq, issue: pick(issue) } } } };
    }
    if (/\busers\s*\(\s*filter:/.test(query)) {
      const id = this.users.get(variables.email as string);
      return { status: 200, body: { data: { users: { nodes: id ? [{ id }] : [] } } } };
    }
    if (/\bissue\s*\(\s*id:/.test(query)) {
      const issue = this.issues.get(variables.id as string);
      return issue ? { status: 200, body: { data: { issue: pick(issue) } } } : error(200, 'Entity not found: Issue', 'invalid input');
    }
    return error(400, 'Cannot query this field on the fake', 'graphql error');
  }
}

function pick(issue: FakeLinearIssue) {
  return { id: issue.id, identifier: issue.identifier, url: issue.url, title: issue.title };
}

function error(status: number, message: string, type: string): FakeResponse {
  return { status, body: { errors: [{ message, extensions: { type, userPresentableMessage: message } }], data: null } };
}
