"""Test settings: the real settings module, with a test secret and fast password hashing.

``DATABASE_URL`` still decides the database, so CI runs the same suite on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from mytho_security.settings import *  # noqa: E402, F403
from mytho_security.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# `{% static %}` with a manifest storage needs collectstatic first; tests use the plain one.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media" / "test"  # noqa: F405
# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test database is thrown away after each test and pytest-django turns DEBUG off:
# load_demo may run there without --i-know-this-is-not-production.
LOAD_DEMO_WITHOUT_DEBUG = True
# Each process's own memory: tests never touch a Redis that REDIS_URL may name (the Redis
# tests point at their own database number explicitly).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The suite runs on one database. The live replica tests (tests/replica/, run by
# .ci/replica-tests) keep DATABASE_REPLICA_URL: they read committed rows through a real replica.
if os.environ.get("LIVE_REPLICA_TESTS") != "1":
    DATABASES.pop("replica", None)  # noqa: F405
# `make mutate`: each mutant runs a new pytest session, which would build the in-memory test
# database again (about 10 s of migrations). With MUTMUT_TEST_DB naming a SQLite file and pytest's
# --reuse-db, the migrated database is kept between sessions. For one pytest process at a time only
# (two sessions would share the file); every test still runs in its own transaction.
if os.environ.get("MUTMUT_TEST_DB") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ["MUTMUT_TEST_DB"]}  # noqa: F405
