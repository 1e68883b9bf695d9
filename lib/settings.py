"""All configuration, read once from the environment (and var/ for generated secrets).

Every environment variable the system reads is declared here and documented in README.md.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if not raw:
        return default
    return raw.lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = _env(name)
    return int(raw) if raw else default


def secret_from_var(var_dir: Path, name: str, nbytes: int = 32, make: Callable[[], str] | None = None) -> str:
    """Return a secret from var/<name>, generating it (mode 0600) on first use.

    Safe when several processes or threads start at once: each writes its own temporary file and
    hard-links it into place; the first link wins and everybody reads the winner's value.
    """
    path = var_dir / name
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = make() if make else secrets.token_hex(nbytes)
    tmp = var_dir / f".{name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    database_url: str
    sqlite_path: Path
    db_pool: bool
    checkin_db_connections: int
    redis_url: str
    rabbitmq_url: str
    embedded_worker: bool
    smtp_url: str
    mail_from: str
    base_url: str
    session_secret: str
    secure_cookies: bool
    default_locale: str
    timezone: str
    login_link_minutes: int
    login_rate_per_15min: int
    debug: bool
    reservation_minutes: int
    cancellation_hours: int
    stripe_api_key: str
    stripe_webhook_secret: str
    stripe_api_base: str
    stripe_publishable_key: str
    ticket_signing_key: str
    org_name: str = "LE DAMIER"
    org_address: str = "Epicentre Factory, 5 rue Saint-Dominique, 63000 Clermont-Ferrand"
    vat_rate_percent: int = 20
    locales: tuple[str, ...] = field(default=("fr", "en"))
    # Yearly membership dues HT in cents per revenue band (lt20k, 20k-60k, 60k-250k, gt250k).
    membership_dues_cents: tuple[int, ...] = (22000, 27000, 31000, 35000)
    # Dues (dues/): pro-rata by remaining months for an organisation joining mid-year, days between
    # reminders of unpaid dues, and the day (MM-DD) after which unpaid dues lose the standing with a notice.
    dues_prorata: bool = False
    dues_reminder_days: int = 30
    dues_lapse_after: str = "03-31"
    # Commissions (commissions/): the default rate in basis points (1000 = 10 % of the amount won, DOMAIN.md)
    # and the delays in days after an unpaid commission invoice's date at which one reminder each is sent.
    commission_rate_bp: int = 1000
    commission_reminder_days: tuple[int, ...] = (30, 60)
    # Background jobs (lib/jobs.py): broker namespace/queue prefix, attempts, retry backoff, sweep period.
    broker_namespace: str = ""
    job_max_attempts: int = 5
    job_retry_backoff_ms: int = 2000
    job_sweep_seconds: float = 30.0
    # A running job whose heartbeat is older than this is given back (its worker died).
    job_running_lease_seconds: float = 30.0
    # Set by `serve` for its web processes: the embedded default's jobs run in the worker process that
    # `serve` supervises (server.cli serve), not in the web processes.
    job_worker_process: bool = False
    # The niceness of that job worker process: on a machine where it shares the cores with the web
    # processes, a rush's PDFs and emails give way to the answers buyers wait for (docs/benchmarks.md).
    job_worker_nice: int = 10
    # How many such processes `serve` runs (default: one per core, at most 4): after a rush, each renders
    # confirmations on a core of its own.
    job_worker_processes: int = 2
    # Stored ticket PDFs (ticketing/document_cleanup.py) are removed this many days after their event.
    ticket_pdf_keep_days: int = 30
    # Member prices need proof (ticketing/member_proof.py): how long an order waits for the member
    # addresses to confirm before it expires and gives its places back.
    member_confirmation_minutes: int = 1440
    # Unpaid holds (ticketing/holds.py): places held by unpaid orders per event, per buyer email and per
    # client IP, and their share of the event's capacity; emails per recipient and orders per IP per hour.
    hold_max_per_email: int = 10
    hold_max_per_ip: int = 10
    hold_max_share_percent: int = 50
    mail_rate_per_address_per_hour: int = 5
    order_rate_per_ip_per_hour: int = 30
    # Without Stripe: what the payment page offers instead ("transfer": bank transfer, "contact": write
    # to the team), the bank details and how long a transfer holds the places.
    payment_alternative: str = "contact"
    bank_account_holder: str = "LE DAMIER"
    bank_iban: str = ""
    bank_bic: str = ""
    bank_reference_prefix: str = "LDE-"
    bank_transfer_days: int = 7
    contact_email: str = "evenements@ledamier.fr"
    # Sessions and sign-in (accounts/): session lifetime, who may set X-Forwarded-For, lock thresholds.
    session_hours: int = 12
    forwarded_allow_ips: str = "127.0.0.1,::1"
    login_account_lock_15min: int = 50
    # "cheapest" (test suite only): minimal argon2/PBKDF2 costs; empty: the libraries' defaults.
    password_hash_profile: str = ""
    # Stands (stands/): how long a stand request holds the stand, the logo limit, cancellation without
    # charge up to N days before the fair; trade-fair support: rate, cap per structure, minimum group.
    stand_hold_hours: int = 48
    stand_logo_max_bytes: int = 1_000_000
    stand_free_cancellation_days: int = 30
    fair_subsidy_percent: int = 50
    fair_subsidy_cap_cents: int = 30000
    fair_subsidy_min_members: int = 2
    fair_shared_stand_percent: int = 50
    # Accompanied projects (projects/): how many at once, for how long from the convention, the hourly
    # rates HT by bracket of the project's total hours (under 35 h, 35-50 h, over 50 h), expert costs.
    projects_max_active: int = 4
    projects_max_years: int = 2
    project_hour_brackets: tuple[int, int] = (35, 50)
    project_hour_rates_cents: tuple[int, int, int] = (3500, 3200, 3000)
    project_expert_percent: int = 50
    project_expert_cap_cents: int = 150000
    project_min_members: int = 2
    project_document_max_bytes: int = 10_000_000  # a project's convention or other PDF
    project_milestone_reminder_days: int = 7  # the lead contact is reminded this many days before a milestone

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def broker_kind(self) -> str:
        if self.redis_url:
            return "redis"
        if self.rabbitmq_url:
            return "rabbitmq"
        return "stub"

    @property
    def outbox_dir(self) -> Path:
        return self.var_dir / "outbox"


def load_settings() -> Settings:
    var_dir = Path(_env("VAR_DIR") or ROOT / "var").resolve()
    database_url = _env("DATABASE_URL")
    redis_url = _env("REDIS_URL")
    rabbitmq_url = _env("RABBITMQ_URL")
    session_secret = _env("SESSION_SECRET") or secret_from_var(var_dir, "session_secret", 16)
    return Settings(
        var_dir=var_dir,
        database_url=database_url,
        sqlite_path=Path(_env("SQLITE_PATH") or var_dir / "ledamier.sqlite3"),
        db_pool=_bool("DB_POOL", True),
        checkin_db_connections=_int("CHECKIN_DB_CONNECTIONS", 8),
        redis_url=redis_url,
        rabbitmq_url=rabbitmq_url,
        embedded_worker=_bool("EMBEDDED_WORKER", not (redis_url or rabbitmq_url)),
        smtp_url=_env("SMTP_URL"),
        mail_from=_env("MAIL_FROM", "LE DAMIER <evenements@ledamier.fr>"),
        base_url=_env("BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        session_secret=session_secret,
        secure_cookies=_bool("SECURE_COOKIES", _env("BASE_URL", "").startswith("https://")),
        default_locale=_env("DEFAULT_LOCALE", "fr"),
        timezone=_env("TIMEZONE", "Europe/Paris"),
        login_link_minutes=_int("LOGIN_LINK_MINUTES", 30),
        login_rate_per_15min=_int("LOGIN_RATE_PER_15MIN", 10),
        debug=_bool("DEBUG", False),
        reservation_minutes=_int("RESERVATION_MINUTES", 15),
        cancellation_hours=_int("CANCELLATION_HOURS", 48),
        stripe_api_key=_env("STRIPE_API_KEY"),
        stripe_webhook_secret=_env("STRIPE_WEBHOOK_SECRET"),
        stripe_api_base=_env("STRIPE_API_BASE"),
        stripe_publishable_key=_env("STRIPE_PUBLISHABLE_KEY"),
        ticket_signing_key=_env("TICKET_SIGNING_KEY"),
        membership_dues_cents=_dues_cents("MEMBERSHIP_DUES_EUR"),
        dues_prorata=_bool("DUES_PRORATA", False),
        dues_reminder_days=max(1, _int("DUES_REMINDER_DAYS", 30)),
        dues_lapse_after=_env("DUES_LAPSE_AFTER") or "03-31",
        commission_rate_bp=_rate_bp("COMMISSION_RATE_PERCENT", 1000),
        commission_reminder_days=_days_list("COMMISSION_REMINDER_DAYS", (30, 60)),
        broker_namespace=_env("BROKER_NAMESPACE"),
        job_max_attempts=max(1, _int("JOB_MAX_ATTEMPTS", 5)),
        job_retry_backoff_ms=max(1, _int("JOB_RETRY_BACKOFF_MS", 2000)),
        job_sweep_seconds=max(0.1, float(_env("JOB_SWEEP_SECONDS") or 30)),
        job_running_lease_seconds=max(1.0, float(_env("JOB_RUNNING_LEASE_SECONDS") or 30)),
        job_worker_process=_bool("JOB_WORKER_PROCESS", False),
        job_worker_nice=min(19, max(0, _int("JOB_WORKER_NICE", 10))),
        job_worker_processes=min(16, max(1, _int("JOB_WORKER_PROCESSES", min(4, os.cpu_count() or 1)))),
        ticket_pdf_keep_days=max(0, _int("TICKET_PDF_KEEP_DAYS", 30)),
        member_confirmation_minutes=max(1, _int("MEMBER_CONFIRMATION_MINUTES", 1440)),
        hold_max_per_email=max(1, _int("HOLD_MAX_PER_EMAIL", 10)),
        hold_max_per_ip=max(1, _int("HOLD_MAX_PER_IP", 10)),
        hold_max_share_percent=min(100, max(1, _int("HOLD_MAX_SHARE_PERCENT", 50))),
        mail_rate_per_address_per_hour=max(1, _int("MAIL_RATE_PER_ADDRESS_PER_HOUR", 5)),
        order_rate_per_ip_per_hour=max(1, _int("ORDER_RATE_PER_IP_PER_HOUR", 30)),
        payment_alternative=_payment_alternative(),
        bank_account_holder=_env("BANK_ACCOUNT_HOLDER", "LE DAMIER"),
        bank_iban=" ".join(_env("BANK_IBAN").split()),
        bank_bic=_env("BANK_BIC"),
        bank_reference_prefix=_env("BANK_REFERENCE_PREFIX", "LDE-"),
        bank_transfer_days=max(1, _int("BANK_TRANSFER_DAYS", 7)),
        contact_email=_env("CONTACT_EMAIL") or _address_of(_env("MAIL_FROM")) or "evenements@ledamier.fr",
        session_hours=max(1, _int("SESSION_HOURS", 12)),
        # Unset: uvicorn's own default (the local reverse proxy); empty: trust no proxy at all.
        forwarded_allow_ips=_env("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        login_account_lock_15min=max(1, _int("LOGIN_ACCOUNT_LOCK_15MIN", 50)),
        password_hash_profile="cheapest" if _env("PASSWORD_HASH_PROFILE").lower() == "cheapest" else "",
        stand_hold_hours=max(1, _int("STAND_HOLD_HOURS", 48)),
        stand_logo_max_bytes=max(1000, _int("STAND_LOGO_MAX_BYTES", 1_000_000)),
        stand_free_cancellation_days=max(0, _int("STAND_FREE_CANCELLATION_DAYS", 30)),
        fair_subsidy_percent=min(100, max(0, _int("FAIR_SUBSIDY_PERCENT", 50))),
        fair_subsidy_cap_cents=max(0, _int("FAIR_SUBSIDY_CAP_CENTS", 30000)),
        fair_subsidy_min_members=max(1, _int("FAIR_SUBSIDY_MIN_MEMBERS", 2)),
        fair_shared_stand_percent=min(100, max(0, _int("FAIR_SHARED_STAND_PERCENT", 50))),
        projects_max_active=max(1, _int("PROJECTS_MAX_ACTIVE", 4)),
        projects_max_years=max(1, _int("PROJECTS_MAX_YEARS", 2)),
        project_hour_brackets=_hour_brackets(),
        project_hour_rates_cents=_hour_rates_cents(),
        project_expert_percent=min(100, max(0, _int("PROJECT_EXPERT_PERCENT", 50))),
        project_expert_cap_cents=max(0, _int("PROJECT_EXPERT_CAP_CENTS", 150000)),
        project_min_members=max(1, _int("PROJECT_MIN_MEMBERS", 2)),
        project_milestone_reminder_days=max(0, _int("PROJECT_MILESTONE_REMINDER_DAYS", 7)),
        project_document_max_bytes=max(1000, _int("PROJECT_DOCUMENT_MAX_BYTES", 10_000_000)),
    )


def _address_of(mail_from: str) -> str:
    from email.utils import parseaddr

    return parseaddr(mail_from)[1] if mail_from else ""


def _payment_alternative() -> str:
    """PAYMENT_ALTERNATIVE: "transfer" or "contact"; by default transfer when BANK_IBAN is set."""
    raw = _env("PAYMENT_ALTERNATIVE").lower()
    if not raw:
        return "transfer" if _env("BANK_IBAN") else "contact"
    if raw not in ("transfer", "contact"):
        raise ValueError('PAYMENT_ALTERNATIVE must be "transfer" or "contact"')
    return raw


def _rate_bp(name: str, default: int) -> int:
    """A percentage ("10", "12,5") -> basis points (1000, 1250), between 0 and 100 %."""
    try:
        value = round(float(_env(name).replace(",", ".")) * 100)
    except ValueError:
        return default
    return min(10000, max(0, value))


def _days_list(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """ "30,60" -> (30, 60): positive whole days, ascending; the default when empty or unreadable."""
    text = _env(name)
    if not text:
        return default
    try:
        days = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        return default
    return tuple(d for d in days if d > 0) or default


def _dues_cents(name: str) -> tuple[int, ...]:
    """MEMBERSHIP_DUES_EUR="220,270,310,350": four amounts HT in euros, one per revenue band."""
    raw = _env(name, "220,270,310,350")
    try:
        cents = tuple(round(float(part.strip().replace(" ", "")) * 100) for part in raw.split(","))
    except ValueError as exc:
        raise ValueError(f"{name} must be four amounts in euros, e.g. 220,270,310,350") from exc
    if len(cents) != 4 or any(c < 0 for c in cents):
        raise ValueError(f"{name} must be four non-negative amounts in euros, e.g. 220,270,310,350")
    return cents


def _hour_brackets() -> tuple[int, int]:
    """PROJECT_HOUR_BRACKETS="35,50": the two bounds in hours of the support-hours brackets."""
    raw = _env("PROJECT_HOUR_BRACKETS", "35,50")
    try:
        low, high = (int(part.strip()) for part in raw.split(","))
    except ValueError as exc:
        raise ValueError("PROJECT_HOUR_BRACKETS must be two whole hours, e.g. 35,50") from exc
    if not 0 < low < high:
        raise ValueError("PROJECT_HOUR_BRACKETS must be two increasing whole hours, e.g. 35,50")
    return low, high


def _hour_rates_cents() -> tuple[int, int, int]:
    """PROJECT_HOUR_RATES_EUR="35,32,30": the rate per hour HT under, between and over the brackets."""
    raw = _env("PROJECT_HOUR_RATES_EUR", "35,32,30")
    try:
        rates = tuple(round(float(part.strip()) * 100) for part in raw.split(","))
    except ValueError as exc:
        raise ValueError("PROJECT_HOUR_RATES_EUR must be three amounts in euros, e.g. 35,32,30") from exc
    if len(rates) != 3 or any(r < 0 for r in rates):
        raise ValueError("PROJECT_HOUR_RATES_EUR must be three non-negative amounts in euros, e.g. 35,32,30")
    return rates[0], rates[1], rates[2]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
