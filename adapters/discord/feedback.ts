import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIModalInteractionResponseCallbackData,
  type ButtonInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { ANSWER_ID_PATTERN, FEEDBACK_TEXT, type FeedbackRef, type FeedbackService, type FeedbackTarget } from '../../src/bot/feedback.js';
import type { Logger } from '../../src/bot/log.js';
import { CORRECTION_LINK_MAX, CORRECTION_TEXT_MAX, FEEDBACK_REASONS, type FeedbackReason } from '../../src/bot/records.js';
import { CUSTOM_ID_PREFIX } from './custom-ids.js';
import { DISCORD_MAX_CUSTOM_ID_LENGTH, type DiscordMessagePayload } from './format.js';

/**
 * Feedback on answers, in Discord's idiom: 👍 / 👎 buttons under an answer; a 👎 answers the clicker
 * with an ephemeral row of reasons and "Suggest a correction", which opens a modal. Every click is
 * answered at once (Discord allows 3 s) and thanked ephemerally; the feedback service decides what
 * is recorded. Nothing a user writes here changes what the bot answers.
 */

/** Modal titles and text input labels are at most 45 characters. */
const DISCORD_MAX_MODAL_LABEL_LENGTH = 45;

/** The second part of every feedback custom id: `haidian:fb:<action>:<lang>:<factId>:<answerId>`. */
const FEEDBACK_TAG = 'fb';
/** Custom ids of the modal's text inputs. */
export const CORRECTION_TEXT_INPUT = 'text';
export const CORRECTION_LINK_INPUT = 'link';

export type FeedbackAction = 'up' | 'down' | 'correct' | 'modal' | FeedbackReason;
const ACTIONS: readonly FeedbackAction[] = ['up', 'down', 'correct', 'modal', ...FEEDBACK_REASONS];

const LABELS = FEEDBACK_TEXT;

/** The custom id of one feedback component, or undefined when it would pass Discord's 100 characters. */
export function buildFeedbackCustomId(action: FeedbackAction, ref: FeedbackRef): string | undefined {
  const id = `${CUSTOM_ID_PREFIX}:${FEEDBACK_TAG}:${action}:${ref.language}:${ref.factId}:${ref.answerId}`;
  return id.length <= DISCORD_MAX_CUSTOM_ID_LENGTH ? id : undefined;
}

/** Parses a feedback custom id from the client; anything not exactly of our shape is rejected. */
export function parseFeedbackCustomId(customId: string): { action: FeedbackAction; ref: FeedbackRef } | undefined {
  const parts = customId.split(':');
  if (parts.length !== 6 || parts[0] !== CUSTOM_ID_PREFIX || parts[1] !== FEEDBACK_TAG) return undefined;
  const [, , action, language, factId, answerId] = parts as [string, string, string, string, string, string];
  const known = ACTIONS.find((a) => a === action);
  if (!known || (language !== 'en' && language !== 'zh')) return undefined;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(factId) || !ANSWER_ID_PATTERN.test(answerId)) return undefined;
  return { action: known, ref: { factId, language, answerId } };
}

/** True for a custom id of this module (so the handlers route it here, valid or not). */
export function isFeedbackCustomId(customId: string): boolean {
  return customId.startsWith(`${CUSTOM_ID_PREFIX}:${FEEDBACK_TAG}:`);
}

/** The answer's message with the 👍 / 👎 row added under its other components. */
export function withFeedbackRow(payload: DiscordMessagePayload, ref: FeedbackRef): DiscordMessagePayload {
  return { ...payload, components: [...payload.components, ...formatFeedbackRow(ref)] };
}

/** The 👍 / 👎 row under an answer; empty when the ids would not fit. */
export function formatFeedbackRow(ref: FeedbackRef): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const up = buildFeedbackCustomId('up', ref);
  const down = buildFeedbackCustomId('down', ref);
  if (!up || !down) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👍' }, custom_id: up },
        { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👎' }, custom_id: down },
      ],
    },
  ];
}

/** The reasons (and "Suggest a correction") offered after a 👎: one row of five buttons. */
export function formatReasonRow(ref: FeedbackRef): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const labels = LABELS[ref.language];
  const buttons: APIButtonComponentWithCustomId[] = [];
  for (const reason of FEEDBACK_REASONS) {
    const customId = buildFeedbackCustomId(reason, ref);
    if (customId) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: labels.reasons[reason], custom_id: customId });
  }
  const correct = buildFeedbackCustomId('correct', ref);
  if (correct) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Primary, label: labels.correct, custom_id: correct });
  return [{ type: ComponentType.ActionRow, components: buttons }];
}

/** The "Suggest a correction" modal: what is wrong (required, bounded) and an optional source link. */
export function formatCorrectionModal(ref: FeedbackRef): APIModalInteractionResponseCallbackData | undefined {
  const labels = LABELS[ref.language];
  const customId = buildFeedbackCustomId('modal', ref);
  if (!customId) return undefined;
  return {
    custom_id: customId,
    title: labels.modalTitle.slice(0, DISCORD_MAX_MODAL_LABEL_LENGTH),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: CORRECTION_TEXT_INPUT,
            style: TextInputStyle.Paragraph,
            label: labels.textLabel,
            placeholder: labels.textHint.slice(0, 100),
            required: true,
            min_length: 1,
            max_length: CORRECTION_TEXT_MAX,
          },
        ],
      },
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: CORRECTION_LINK_INPUT,
            style: TextInputStyle.Short,
            label: labels.linkLabel,
            required: false,
            max_length: CORRECTION_LINK_MAX,
          },
        ],
      },
    ],
  };
}

/** Answers a feedback button: 👍 thanks, 👎 offers reasons, a reason thanks in place, "Suggest a correction" opens the modal. */
export async function handleFeedbackButton(interaction: ButtonInteraction, feedback: FeedbackService | undefined, logger: Logger): Promise<void> {
  const parsed = parseFeedbackCustomId(interaction.customId);
  if (!parsed || !feedback || parsed.action === 'modal') {
    logger.warn({ interactionId: interaction.id }, 'discord: unreadable feedback button ignored');
    return;
  }
  const { action, ref } = parsed;
  const labels = LABELS[ref.language];
  const target = targetOf(interaction.user.id, ref);
  if (action === 'correct') {
    const modal = formatCorrectionModal(ref);
    // The modal is the interaction's only response, and it must come within 3 s: nothing before it.
    if (modal) await interaction.showModal(modal);
    return;
  }
  if (action === 'up') {
    await interaction.reply({ content: labels.thanksUp, flags: MessageFlags.Ephemeral });
    const outcome = await feedback.vote(target, 'up');
    logger.info({ interactionId: interaction.id, factId: ref.factId, outcome }, 'discord: feedback');
    return;
  }
  if (action === 'down') {
    await interaction.reply({ content: labels.askReason, components: formatReasonRow(ref), flags: MessageFlags.Ephemeral });
    // The 👎 counts now; a reason picked next replaces it (the last vote wins).
    const outcome = await feedback.vote(target, 'down');
    logger.info({ interactionId: interaction.id, factId: ref.factId, outcome }, 'discord: feedback');
    return;
  }
  // A reason: the thanks takes the place of the reason buttons in the ephemeral message.
  await interaction.update({ content: labels.thanksDown, components: [] });
  const outcome = await feedback.vote(target, 'down', action);
  logger.info({ interactionId: interaction.id, factId: ref.factId, reason: action, outcome }, 'discord: feedback');
}

/** Records the correction modal's submission and thanks the user ephemerally. */
export async function handleFeedbackModal(interaction: ModalSubmitInteraction, feedback: FeedbackService | undefined, logger: Logger): Promise<void> {
  const parsed = parseFeedbackCustomId(interaction.customId);
  if (!parsed || parsed.action !== 'modal' || !feedback) {
    logger.warn({ interactionId: interaction.id }, 'discord: unreadable feedback modal ignored');
    return;
  }
  const { ref } = parsed;
  const labels = LABELS[ref.language];
  const text = interaction.fields.getTextInputValue(CORRECTION_TEXT_INPUT);
  const link = optionalField(interaction, CORRECTION_LINK_INPUT);
  if (text.trim() === '') {
    await interaction.reply({ content: labels.empty, flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.reply({ content: labels.thanksCorrection, flags: MessageFlags.Ephemeral });
  const outcome = await feedback.suggestCorrection(targetOf(interaction.user.id, ref), text, link);
  logger.info({ interactionId: interaction.id, factId: ref.factId, outcome }, 'discord: correction');
}

function optionalField(interaction: ModalSubmitInteraction, customId: string): string | undefined {
  try {
    const value = interaction.fields.getTextInputValue(customId);
    return value.trim() === '' ? undefined : value;
  } catch {
    // An optional input left out of the submission.
    return undefined;
  }
}

function targetOf(userId: string, ref: FeedbackRef): FeedbackTarget {
  return { platform: 'discord', userId, ...ref };
}
