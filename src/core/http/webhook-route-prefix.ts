/** Webhook routes live under this prefix: their bodies are kept as raw bytes (verification needs them untouched). */
export const WEBHOOK_ROUTE_PREFIX = '/webhooks/';
