/**
 * The App Home tab, end to end: the real Bolt App against the fake Slack, from the real fact base.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_HOME_ASK_PREFIX, formatHomeView, HOME_TITLE } from '../../../adapters/slack/app-home.js';
import { formatSlackReply } from '../../../adapters/slack/format.js';
import type { Bot } from '../../../src/bot/bot.js';
import { dmChannelOf, slackError, type RecordedCall } from '../../fakes/fake-slack.js';
import { postEvent, postInteraction } from '../../fakes/slack-signing.js';
import { realBot, settle, shown, SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { buttonsIn, eventCallback, HUMAN, messageEvent, nextTs, TEAM_ID, type ButtonInBlocks } from './payloads.js';

const signed = { signingSecret: SIGNING_SECRET };

let harness: Harness | undefined;
let bot: Bot;
beforeAll(async () => {
  bot = await realBot();
});
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

function homeOpened(user: string, tab: 'home' | 'messages' = 'home'): Record<string, unknown> {
  return eventCallback({ type: 'app_home_opened', user, channel: dmChannelOf(user), tab, event_ts: nextTs() });
}

/** A block_actions payload for a click on a Home tab button (a view container: no channel, no response_url). */
function homeClick(button: ButtonInBlocks, user = HUMAN): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: TEAM_ID, domain: 'fake' },
    user: { id: user, username: 'human', team_id: TEAM_ID },
    api_app_id: 'A0001',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: `V${user}` },
    trigger_id: 'trigger-home',
    view: { id: `V${user}`, type: 'home', blocks: [], team_id: TEAM_ID, app_id: 'A0001', bot_id: 'BBOT0001' },
    actions: [
      {
        type: 'button',
        action_id: button.action_id,
        block_id: 'home-actions',
        text: { type: 'plain_text', text: button.text, emoji: true },
        value: button.value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

interface PublishedView {
  readonly type: string;
  readonly blocks: { type: string; text?: { text: string }; elements?: { text?: string }[] }[];
}

function viewOf(call: RecordedCall): PublishedView {
  return call.body['view'] as PublishedView;
}

describe('Slack App Home, end to end with the real Bolt App', () => {
  it('publishes the Home tab for the user who opened it: what the bot is, its topics, suggested questions, the as-of date', async () => {
    harness = await startHarness({ bot });
    const { fake, eventsUrl } = harness;
    await postEvent(eventsUrl, homeOpened(HUMAN), signed);
    const [publish] = await fake.waitForCalls('views.publish', 1);
    if (!publish) throw new Error('no views.publish');
    expect(publish.body['user_id']).toBe(HUMAN);
    const view = viewOf(publish);
    expect(view.type).toBe('home');
    expect(view.blocks[0]).toMatchObject({ type: 'header', text: { text: HOME_TITLE } });
    const overview = bot.overview('en');
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('I answer questions about Haidian district');
    for (const topic of overview.topics) expect(text).toContain(topic.title.trim());
    expect(overview.asOf).toBeDefined();
    expect(text).toContain(`as of ${overview.asOf ?? ''}`);
    // One button per suggested question, carrying only its fact reference.
    const buttons = buttonsIn(view.blocks);
    expect(buttons.map((b) => b.value)).toEqual(overview.suggestions.map((s) => `en:${s.factId}`));
    expect(buttons.map((b) => b.text)).toEqual(overview.suggestions.map((s) => s.question));
    for (const b of buttons) expect(b.action_id.startsWith(ACTION_HOME_ASK_PREFIX)).toBe(true);
    // Exactly the pure formatter's view, so its unit-level shape is what Slack receives.
    expect(view).toEqual(formatHomeView(overview, 'haidian'));
  });

  it('logs a refused views.publish and keeps serving', async () => {
    harness = await startHarness({ bot });
    const { fake, eventsUrl, logs } = harness;
    fake.failNext('views.publish', 1, slackError('invalid_arguments'));
    await postEvent(eventsUrl, homeOpened(HUMAN), signed);
    await fake.waitFor(() => logs.some((line) => line.includes('home tab could not be published')));
    await postEvent(eventsUrl, homeOpened(HUMAN), signed);
    await fake.waitFor(() => logs.some((line) => line.includes('home tab published')));
    expect(fake.callsTo('views.publish')).toHaveLength(2);
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    harness = await startHarness({ bot });
    await postEvent(harness.eventsUrl, homeOpened(HUMAN, 'messages'), signed);
    await settle(300);
    expect(harness.fake.callsTo('views.publish')).toHaveLength(0);
  });

  it('answers a clicked suggested question in the bot’s DM with the user, with its sources, and a DM follow-up continues it', async () => {
    harness = await startHarness({ bot });
    const { fake, eventsUrl } = harness;
    await postEvent(eventsUrl, homeOpened(HUMAN), signed);
    const [publish] = await fake.waitForCalls('views.publish', 1);
    const first = buttonsIn(viewOf(publish as RecordedCall).blocks)[0];
    if (!first) throw new Error('the Home tab has no button');

    const clicked = await postInteraction(eventsUrl, homeClick(first), signed);
    expect(clicked.status).toBe(200);
    const [open] = await fake.waitForCalls('conversations.open', 1);
    expect(open?.body['users']).toBe(HUMAN);
    const [post] = await fake.waitForCalls('chat.postMessage', 1);
    if (!post) throw new Error('no answer posted');
    expect(post.body['channel']).toBe(dmChannelOf(HUMAN));
    const factId = first.value.split(':')[1] as string;
    const expected = await bot.answerFact(factId, 'en', { platform: 'slack' });
    expect(expected.kind).toBe('answer');
    expect(post.body['text']).toBe(formatSlackReply(expected).text);
    expect(expected.sources.length).toBeGreaterThan(0);
    for (const source of expected.sources) expect(shown(post)).toContain(source.url);

    // "source?" in the DM resolves against the clicked answer: the same fact again, with its sources.
    await postEvent(eventsUrl, eventCallback(messageEvent({ text: 'source?', channel: dmChannelOf(HUMAN) })), signed);
    const posts = await fake.waitForCalls('chat.postMessage', 2);
    expect((posts[1] as RecordedCall).body['text']).toBe(formatSlackReply(expected).text);
  });

  it('ignores a Home button whose value is not a fact reference', async () => {
    harness = await startHarness({ bot });
    const { fake, eventsUrl } = harness;
    await postInteraction(eventsUrl, homeClick({ action_id: `${ACTION_HOME_ASK_PREFIX}0`, value: '<!channel> hi', text: 'x' }), signed);
    await settle(300);
    expect(fake.callsTo('conversations.open')).toHaveLength(0);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
