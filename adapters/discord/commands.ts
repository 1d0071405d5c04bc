import {
  ApplicationIntegrationType,
  InteractionContextType,
  REST,
  Routes,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { DiscordConfig } from '../../src/config.js';
import { QUESTION_MAX_CHARS } from '../../src/engine/defaults.js';

/** Name of the command's required free-text option. */
export const QUESTION_OPTION = 'question';
/** Name of the command's optional "answer only me" option. */
export const PRIVATE_OPTION = 'private';

/** The slash commands this bot registers: `/<commandName> question:<text> [private:<bool>]`. */
export function buildCommands(
  commandName: string,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const command = new SlashCommandBuilder()
    .setName(commandName)
    .setDescription('Ask a question about Haidian district, Beijing')
    .setDescriptionLocalizations({
      'zh-CN': '提一个关于北京市海淀区的问题',
      'zh-TW': '提一個關於北京市海淀區的問題',
    })
    // Usable in servers and in the bot's DMs (the adapter answers both); installed to servers.
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .addStringOption((option) =>
      option
        .setName(QUESTION_OPTION)
        .setDescription('Your question, or "help" to see what I know')
        .setDescriptionLocalizations({ 'zh-CN': '你的问题，或输入 help 查看我了解的内容' })
        .setRequired(true)
        .setAutocomplete(true)
        // The engine reads at most this much of a question anyway.
        .setMaxLength(QUESTION_MAX_CHARS),
    )
    .addBooleanOption((option) =>
      option
        .setName(PRIVATE_OPTION)
        .setDescription('Only you see the answer')
        .setDescriptionLocalizations({ 'zh-CN': '只有你能看到回答' }),
    );
  return [command.toJSON()];
}

export interface RegisterCommandsOptions {
  /** A REST client to use instead of a new one (tests, retries); its token must already be set. */
  readonly rest?: REST;
}

/** What {@link registerCommands} did, for the CLI to print. */
export interface RegisterCommandsResult {
  readonly scope: 'global' | 'guild';
  readonly guildId?: string;
  /** The REST route that was PUT, e.g. `/applications/123/commands`. */
  readonly route: string;
  readonly commands: readonly { readonly id: string; readonly name: string }[];
}

/**
 * Registers the commands with one PUT of the full list: globally, or to `config.guildId` when set
 * (guild commands update instantly; global ones can take up to an hour). Idempotent: a second run
 * sends the same body and changes nothing.
 */
export async function registerCommands(
  config: DiscordConfig,
  options: RegisterCommandsOptions = {},
): Promise<RegisterCommandsResult> {
  const rest =
    options.rest ?? new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  const response = await rest.put(route, { body: buildCommands(config.command) });
  const commands = Array.isArray(response)
    ? response.filter(isRegisteredCommand).map(({ id, name }) => ({ id, name }))
    : [];
  return config.guildId
    ? { scope: 'guild', guildId: config.guildId, route, commands }
    : { scope: 'global', route, commands };
}

function isRegisteredCommand(value: unknown): value is { id: string; name: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}
