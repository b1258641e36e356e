"""Settings: MERCATO_* environment variables, optionally a mercato.toml in the working directory."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MERCATO_", toml_file="mercato.toml", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./mercato.db"
    # Signs JWTs (admin and store). Medusa's default is "supersecret"; set your own in production.
    jwt_secret: str = "supersecret"
    # Names the admin/store session cookie's signature; sessions themselves live in the database.
    cookie_secret: str = "supersecret"
    # Comma-separated origins allowed to call /admin and /store with credentials (Medusa's
    # admin_cors and store_cors); an entry written /…/ is a regular expression. The default,
    # as the reference Medusa's medusa-config.js: any port of this machine (a dashboard on 7001,
    # a storefront on 8000 or 3000). Set explicit origins for a store on the internet.
    admin_cors: str = r"/^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/"
    store_cors: str = r"/^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/"
    # Session lifetime, seconds (Medusa: 10 hours).
    session_ttl: int = 36000
    # Echo SQL statements (debugging).
    sql_echo: bool = False
    # PostgreSQL: each pooled connection begins its next transaction with the COMMIT of the last
    # (db.pg_driver). Off for a pooler in transaction mode (pgbouncer), which would otherwise
    # keep a server connection per pooled connection.
    pg_begin_ahead: bool = True
    # Folder the local notification and file providers write to.
    data_dir: str = "./mercato-data"
    # Folder the `local` notification provider writes each notification to (one JSON file each).
    notification_outbox: str = "./mercato-data/notifications"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
