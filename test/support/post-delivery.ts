/** What a webhook endpoint answered: its status, its body as text and parsed (when JSON), its headers. */
export interface EndpointAnswer {
  status: number;
  body: Record<string, unknown> | undefined;
  text: string;
  headers: Headers;
}

/**
 * POSTs a delivery's bytes and headers to `<baseUrl><path>` as the sender would, and returns what the
 * endpoint answered. Every provider's test helper (`postGithub`, `postStripe`...) is this with its path.
 */
export async function postDelivery(baseUrl: string, path: string, delivery: { body: string | Uint8Array; headers: Record<string, string> }): Promise<EndpointAnswer> {
  // Bounded, so that a request that is never answered fails as such rather than as a test timeout.
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text, headers: response.headers };
}
