"""The trust tests reuse the admin tests' BotEnv factories and constants."""

from tests.admin.conftest import make_env, shop  # noqa: F401 - fixtures
from tests.chat_menu.conftest import alice, bot  # noqa: F401,E402 - fixtures
from tests.chat_order.conftest import customer  # noqa: F401,E402 - fixtures
