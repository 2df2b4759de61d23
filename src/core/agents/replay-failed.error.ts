/** A replay whose handler threw: `cause` is what it threw, `replayId` names the FAILED agent run it left. */
export class ReplayFailedError extends Error {
  constructor(
    readonly replayId: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'ReplayFailedError';
  }
}
