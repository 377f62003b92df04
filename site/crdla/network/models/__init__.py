"""Models of the regional networks: pages (networks, DLA, directory, intranet, calls for
tenders, survey), provider alerts, exchange spaces and the common programme vote."""

from .alerts import *  # noqa: F403
from .calls import *  # noqa: F403
from .exchange import *  # noqa: F403
from .intranet import *  # noqa: F403
from .pages import *  # noqa: F403
from .survey import *  # noqa: F403
from .vote import *  # noqa: F403
