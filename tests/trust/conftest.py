"""The trust tests reuse the admin tests' BotEnv factories and constants."""

from tests.admin.conftest import make_env, shop  # noqa: F401 - fixtures
