// What `npm run demo` (scripts/demo.mjs) sends to /webhooks/secret-scanning-partner: nothing. GitHub
// signs these alerts with its private key (ECDSA P-256, checked against the public keys in
// SECRET_SCANNING_PARTNER_PUBLIC_KEYS), so no sample can be signed here; and every match is acted on
// (an incident and a Slack message), so none would be safe to send anyway. The demo says so and
// goes on with the other providers.
export const noDemo = 'GitHub signs these with its private key (ECDSA P-256): the demo cannot sign one';
