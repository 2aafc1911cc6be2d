"""smm-bot: a Telegram storefront for SMM panels."""
