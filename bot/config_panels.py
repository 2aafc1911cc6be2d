"""Settings of the SMM panels the shop sells from: PANELS (a JSON list), or PANEL_URL + PANEL_KEY for one,
or PANEL_URL=demo for the built-in demo panel. An area of bot/config.py (`Settings.panels`); `PanelConfig`
is also what bot/panel/ is built from."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_ENV = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

DEMO_URL = "demo"  # PANEL_URL=demo: the built-in simulated panel, no key needed
DEMO_KEY = "demo-panel-key"  # what the shop and its in-process demo panel agree on (not a secret)
DEMO_STEP_SECONDS = 20.0  # the demo's orders move one step this often (a few minutes from Pending to final)

# OrderType's values (bot/panel/models.py; config imports nothing of ours, a test keeps the two equal)
OrderTypeName = Literal[
    "default", "package", "custom_comments", "custom_comments_package", "mentions", "mentions_with_hashtags",
    "mentions_custom_list", "mentions_hashtag", "mentions_user_followers", "mentions_media_likers",
    "comment_likes", "comment_replies", "poll", "invites_from_groups", "subscriptions", "seo", "web_traffic",
    "unsupported",
]


class PanelConfig(BaseModel):
    """One SMM panel: a short name, its API v2 URL and its key."""

    name: str = Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")
    url: str = Field(pattern=r"^(https?://\S+|demo)$")  # "demo": the built-in demo panel (bot/panel/demo.py)
    key: SecretStr  # its length is checked with every other secret's in load_settings
    timeout_seconds: float = Field(default=30, gt=0, le=300)
    # what cannot be detected: how the panel takes its fields (a 405/415 switches by itself) and
    # field names it spells differently, e.g. {"link": "url"}
    method: Literal["post", "get", "json"] = "post"
    aliases: dict[str, str] = Field(default_factory=dict)
    # the panel's own words for order types, e.g. {"Views Special": "default"} (bot/panel/type_names.py)
    types: dict[str, OrderTypeName] = Field(default_factory=dict)
    demo_step_seconds: float = Field(default=DEMO_STEP_SECONDS, gt=0, le=3600)  # the demo panel's pace only

    @property
    def is_demo(self) -> bool:
        return self.url == DEMO_URL


class PanelSettings(BaseSettings):
    model_config = _ENV

    panels: list[PanelConfig] = Field(default_factory=list)
    panel_url: str | None = Field(default=None, pattern=r"^(https?://\S+|demo)$")
    panel_key: SecretStr | None = None
    panel_timeout_seconds: float = Field(default=30, gt=0, le=300)
    demo_step_seconds: float = Field(default=DEMO_STEP_SECONDS, gt=0, le=3600)

    @model_validator(mode="after")
    def _one_source(self) -> PanelSettings:
        if self.panel_url == DEMO_URL or any(p.is_demo for p in self.panels):
            return self._demo_only()
        if self.panel_url or self.panel_key:
            if not (self.panel_url and self.panel_key):
                raise ValueError("PANEL_URL and PANEL_KEY go together")
            if any(p.name == "main" for p in self.panels):
                raise ValueError("PANELS: already has a panel named 'main', which PANEL_URL would add")
            self.panels.append(
                PanelConfig(name="main", url=self.panel_url, key=self.panel_key,
                            timeout_seconds=self.panel_timeout_seconds)
            )
        if not self.panels:
            raise ValueError("set PANELS (JSON list) or PANEL_URL and PANEL_KEY")
        names = [p.name for p in self.panels]
        if len(names) != len(set(names)):
            raise ValueError("PANELS: panel names must be unique")
        return self

    def _demo_only(self) -> PanelSettings:
        """PANEL_URL=demo: the demo panel alone, so it can never be mixed with a real panel by accident."""
        if self.panel_key is not None:
            raise ValueError("PANEL_URL=demo needs no PANEL_KEY: remove PANEL_KEY (or set a real PANEL_URL)")
        others = [p for p in self.panels if not p.is_demo]
        if others or (self.panel_url == DEMO_URL and self.panels) or len(self.panels) > 1:
            raise ValueError("PANEL_URL=demo runs the demo panel alone: remove PANELS (or set a real PANEL_URL)")
        self.panels = [PanelConfig(name="demo", url=DEMO_URL, key=SecretStr(DEMO_KEY),
                                   demo_step_seconds=self.demo_step_seconds)]
        return self

    @property
    def demo(self) -> bool:
        """Whether the shop runs on the built-in demo panel."""
        return any(p.is_demo for p in self.panels)
