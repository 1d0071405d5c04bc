import type { AllMiddlewareArgs, App, BlockAction } from '@slack/bolt';
import type { AskContext, Bot } from '../../src/bot/bot.js';
import type { ConversationMemory } from '../../src/bot/conversation.js';
import type { Logger } from '../../src/bot/log.js';
import type { Overview, Reply } from '../../src/engine/types.js';
import { button, decodeFactRef, encodeFactRef, escapeSlackText, formatApology, formatSlackReply, type KnownBlock, type SlackMessage } from './format.js';
import { conversationKey } from './listeners.js';

/**
 * The App Home tab: published with `views.publish` each time a user opens it (`app_home_opened`),
 * from the bot's overview of the fact base. Its suggested-question buttons answer in the bot's DM
 * with that user (`conversations.open`, then `chat.postMessage`), where a follow-up can continue.
 */

type WebClient = AllMiddlewareArgs['client'];

/** action_id prefix of the Home tab's suggested-question buttons (distinct from the answers' suggestion buttons). */
export const ACTION_HOME_ASK_PREFIX = 'haidian_home_ask_';
/** Slack's limit on a header block's text. */
export const SLACK_MAX_HEADER_TEXT_CHARS = 150;
/** The Home tab's title. */
export const HOME_TITLE = 'Haidian Bot';

export interface AppHomeDeps {
  readonly bot: Bot;
  readonly logger: Logger;
  /** The slash command's name, without the slash, as the Home tab tells users to type it. */
  readonly command: string;
  /** The conversation memory the DM listeners use, so a DM follow-up continues from a clicked question. */
  readonly memory: ConversationMemory;
}

/** The Home tab view for the overview: what the bot is and its topics (as the help reply shows them), how to ask, suggested questions, the as-of date. */
export function formatHomeView(overview: Overview, command: string): { type: 'home'; blocks: KnownBlock[] } {
  // The help reply's own blocks, so the Home tab lists the topics exactly as `/haidian help` does.
  const about: Reply = {
    kind: 'help',
    language: overview.language,
    body: overview.intro,
    sources: [],
    suggestions: [],
    topics: overview.topics,
    confidence: 1,
  };
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: HOME_TITLE.slice(0, SLACK_MAX_HEADER_TEXT_CHARS), emoji: true } },
    ...formatSlackReply(about).blocks,
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: escapeSlackText(
          `How to ask: mention me in a channel, send me a direct message, or use /${command}. Reply in the thread (or the DM) to follow up, e.g. "and in 2017?".`,
        ),
      },
    },
  ];
  const buttons = overview.suggestions.flatMap((suggestion, i) => {
    const value = encodeFactRef(suggestion.factId, overview.language);
    return value && suggestion.question.trim() ? [button(`${ACTION_HOME_ASK_PREFIX}${i}`, suggestion.question, value)] : [];
  });
  if (buttons.length > 0) {
    blocks.push(
      { type: 'section', text: { type: 'mrkdwn', text: '*Try a question* (I answer in our direct messages):' } },
      { type: 'actions', elements: buttons },
    );
  }
  const asOf = overview.asOf ? `Fact base as of ${overview.asOf} (its newest fact)` : 'The fact base is empty';
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlackText(`${asOf} · ${overview.factCount} facts, each with its sources.`) }] });
  return { type: 'home', blocks };
}

/** Registers the Home tab: publishing it when opened, and its suggested-question buttons. */
export function registerAppHome(app: App, deps: AppHomeDeps): void {
  const { bot, logger } = deps;

  app.event('app_home_opened', async ({ event, body, client }) => {
    // The same event fires for the Messages tab; only the Home tab has a view to publish.
    if (event.tab !== 'home') return;
    const ids = { team: body.team_id, user: event.user, source: 'home' };
    try {
      await client.views.publish({ user_id: event.user, view: formatHomeView(bot.overview('en'), deps.command) });
      logger.info(ids, 'slack: home tab published');
    } catch (error) {
      logger.error({ ...ids, err: error }, 'slack: home tab could not be published');
    }
  });

  app.action<BlockAction>(new RegExp(`^${ACTION_HOME_ASK_PREFIX}\\d+$`), async ({ ack, body, action, client }) => {
    await ack();
    const ids = { ...(body.team?.id ? { team: body.team.id } : {}), user: body.user.id, source: 'home' };
    const ref = action.type === 'button' ? decodeFactRef(action.value) : undefined;
    if (!ref) {
      logger.warn(ids, 'slack: home button with an unreadable value ignored');
      return;
    }
    let channel: string | undefined;
    try {
      const opened = await client.conversations.open({ users: body.user.id });
      channel = opened.channel?.id;
      if (!channel) throw new Error('conversations.open returned no channel');
      const context: AskContext = { platform: 'slack', userId: body.user.id, conversationId: channel };
      // Only the fact id comes from the click; the answer is rendered from the fact base.
      const reply = await bot.answerFact(ref.factId, ref.language, context);
      await post(client, channel, formatSlackReply(reply));
      // The answer is out: a store failure only costs a follow-up its context, so it is not apologised for.
      await deps.memory
        .remember(conversationKey(body.team?.id, channel, undefined), reply)
        .catch((error: unknown) => logger.warn({ ...ids, channel, err: error }, 'slack: conversation context not kept'));
      logger.info({ ...ids, channel, kind: reply.kind, factId: reply.factId }, 'slack: replied');
    } catch (error) {
      logger.error({ ...ids, channel, err: error }, 'slack: answering a home question failed');
      if (channel) await post(client, channel, formatApology()).catch((apologyError: unknown) => logger.error({ ...ids, err: apologyError }, 'slack: the apology could not be delivered either'));
    }
  });
}

async function post(client: WebClient, channel: string, message: SlackMessage): Promise<void> {
  // Source links would otherwise unfurl into large previews under every answer.
  await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
}
