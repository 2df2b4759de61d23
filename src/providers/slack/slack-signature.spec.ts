import { describe, expect, it } from 'vitest';
import { slackVerifier } from './slack-webhook.provider.js';
import { SlackTodoKeywords } from './slack-todo-keywords.js';

// Slack's published vector ("Verifying requests from Slack"), with the clock at its timestamp.
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = 1531420618;
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const headers = (signature = SIGNATURE, timestamp = TIMESTAMP) => ({ 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) });

describe('Slack request signatures', () => {
  it('verifies Slack’s published vector, with the secret among others (rotation)', async () => {
    const verifier = slackVerifier(['new-secret-0000000000000000000000', SECRET], () => TIMESTAMP * 1000);
    expect(await verifier.verify(Buffer.from(BODY), headers())).toEqual({ valid: true });
  });

  it('refuses it 301 s later or earlier, with another secret, or with one byte changed', async () => {
    expect((await slackVerifier([SECRET], () => (TIMESTAMP + 301) * 1000).verify(Buffer.from(BODY), headers())).valid).toBe(false);
    expect((await slackVerifier([SECRET], () => (TIMESTAMP - 301) * 1000).verify(Buffer.from(BODY), headers())).valid).toBe(false);
    expect((await slackVerifier(['another'], () => TIMESTAMP * 1000).verify(Buffer.from(BODY), headers())).valid).toBe(false);
    expect((await slackVerifier([SECRET], () => TIMESTAMP * 1000).verify(Buffer.from(`${BODY} `), headers())).valid).toBe(false);
  });
});

describe('TODO keywords', () => {
  const keywords = new SlackTodoKeywords('TODO,follow up,action item,action:');
  it.each([
    ['todo: fix it', 'todo'],
    ['(TODO) later', 'TODO'],
    ['we should follow   up', 'follow   up'],
    ['Action Item for Bob', 'Action Item'],
    ['action:fix', 'action:'],
  ])('finds %j', (text, found) => expect(keywords.match(text)).toBe(found));
  it.each(['TODOS', 'mastodon', 'followup', 'transaction: ok', 'reaction:', 'action items'])('does not find one in %j', (text) => {
    expect(keywords.match(text)).toBeNull();
  });
});
