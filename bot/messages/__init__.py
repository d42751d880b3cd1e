"""Every sentence a user reads, in Korean, in one tone (존댓말, short): this package is the one
place for them, split by who reads them (commands, delivery, platforms, operations) so each part
stays short; callers keep ``from bot import messages as M`` and ``M.NAME``.

Placeholders use str.format names."""

from bot.messages.common import *  # noqa: F403
from bot.messages.delivery import *  # noqa: F403
from bot.messages.lookups import *  # noqa: F403
from bot.messages.operations import *  # noqa: F403
from bot.messages.platforms import *  # noqa: F403
from bot.messages.questions import *  # noqa: F403
