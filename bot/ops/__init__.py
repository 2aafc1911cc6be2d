"""The operator's tools: `check`, start-up diagnostics, `/setup` and `/id`, backups, the bot's profile."""
