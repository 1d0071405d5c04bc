/**
 * `npm run discord:register`: registers the slash commands globally, or to DISCORD_GUILD_ID when set.
 * Reads the same environment as the bot; prints what it did, never the token.
 */
import { defineCommand, runCommand } from '../../src/bot/command-line.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { registerCommands } from './commands.js';

const REQUIRED = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID'] as const;

const REGISTER_COMMAND = defineCommand({
  command: 'npm run discord:register',
  summary:
    'Registers the bot\'s slash command with Discord: in the server DISCORD_GUILD_ID when set (instant), else globally (up to an hour). Reads the same environment as the bot (DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_COMMAND); running it again changes nothing.',
  options: {},
  notes: 'exit codes: 0 registered, 1 missing or wrong credentials or Discord refused, 2 usage error',
  example: 'node --env-file=.env --import tsx adapters/discord/register-cli.ts   (npm run discord:register with the variables exported)',
});

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (!config.discord) {
    process.stderr.write(
      `Cannot register Discord commands: ${REQUIRED.join(' and ')} are missing.\n` +
        'Set them in the environment (see docs/discord.md: the bot token from Bot → Reset Token, the application id from General Information).\n',
    );
    return 1;
  }
  const discord = config.discord;
  const where = discord.guildId ? `guild ${discord.guildId}` : 'all servers (global)';
  process.stdout.write(
    `Registering /${discord.command} for application ${discord.applicationId} in ${where}${discord.apiUrl ? ` via ${discord.apiUrl}` : ''}…\n`,
  );
  try {
    const result = await registerCommands(discord);
    const names = result.commands.map((c) => `/${c.name} (${c.id})`).join(', ') || 'none';
    process.stdout.write(
      `Done: PUT ${result.route} → ${result.commands.length} command(s) registered: ${names}.\n`,
    );
    process.stdout.write(
      result.scope === 'guild'
        ? 'Guild commands update instantly. Running this again changes nothing.\n'
        : 'Global commands can take up to an hour to appear everywhere; set DISCORD_GUILD_ID for instant updates while testing. Running this again changes nothing.\n',
    );
    return 0;
  } catch (error) {
    // discord.js errors carry the HTTP status and Discord's message (e.g. 401: Unauthorized), never the token.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `Registering the commands failed: ${message}\nCheck DISCORD_TOKEN and DISCORD_APPLICATION_ID (they must belong to the same application).\n`,
    );
    return 1;
  }
}

process.exitCode = await runCommand(REGISTER_COMMAND, process.argv.slice(2), main);
