/** Route metadata naming the provider whose webhook endpoint the route is: set by @WebhookProvider, read by SignatureGuard. */
export const WEBHOOK_PROVIDER_KEY = 'hookwise:webhook-provider';
