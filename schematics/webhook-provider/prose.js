'use strict';
// How a provider's model reads in prose: its signature, where its delivery id and event type come
// from. Used by the generated comments and README, so that both say the same.

/** `X-CMS-Signature: <hex HMAC-SHA256 of the raw body>`, as Markdown. */
function signatureSummary(model) {
  const s = model.signature;
  if (s.scheme === 'hmac') return `\`${s.header.display}: ${s.prefix}<${s.encoding} HMAC-SHA256 of the raw body>\``;
  if (s.scheme === 'timestamped-hmac') {
    const content = s.signedContent.replaceAll('{scheme}', s.signatureScheme);
    if (s.timestampHeader) return `\`${s.header.display}: ${s.signatureScheme}=<hex HMAC-SHA256 of "${content}">\`, the Unix timestamp in \`${s.timestampHeader.display}\``;
    return `\`${s.header.display}: t=<timestamp>,${s.signatureScheme}=<hex HMAC-SHA256 of "${content}">\``;
  }
  return 'Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`)';
}

/** The core's verifier class the provider configures. */
function verifierClass(model) {
  return { hmac: 'HmacSignatureVerifier', 'timestamped-hmac': 'TimestampedHmacVerifier', 'standard-webhooks': 'StandardWebhooksVerifier' }[model.signature.scheme];
}

/** `the X-CMS-Delivery header` or `the payload's \`event.id\``. */
function sourceSummary(from) {
  return from.header ? `the \`${from.header.display}\` header` : `the payload's \`${from.field.path}\``;
}

/** `post.published` or `every event type`, in Markdown. */
function eventsSummary(model) {
  return model.events.length ? model.events.map((e) => `\`${e}\``).join(', ') : 'every event type';
}

module.exports = { eventsSummary, signatureSummary, sourceSummary, verifierClass };
