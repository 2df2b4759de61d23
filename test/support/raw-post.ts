import http from 'node:http';

/**
 * POSTs to `<url>/webhooks/<provider>` with raw control over the bytes and repeated headers
 * (fetch joins repeated headers into one line), and returns the status and the parsed JSON answer.
 */
export function rawPost(url: string, provider: string, body: Buffer, headers: Record<string, string | string[]>): Promise<{ status: number; body: Record<string, unknown> }> {
  const target = new URL(`${url}/webhooks/${provider}`);
  return new Promise((resolve, reject) => {
    const request = http.request({ method: 'POST', host: target.hostname, port: target.port, path: target.pathname, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}
