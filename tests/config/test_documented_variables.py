"""Every environment variable the code reads is documented for whoever deploys it."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
APP_DIRS = (
    "config",
    "cms",
    "website",
    "media",
    "search",
    "translations",
    "stations",
    "reach",
    "users",
)
READS = re.compile(
    r"""(?:environ\.get|environ\.setdefault|getenv|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|environ\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\]"""
)


def variables_read_by_the_code():
    names = set()
    for app in APP_DIRS:
        for source in (BASE_DIR / app).rglob("*.py"):
            for match in READS.finditer(source.read_text(encoding="utf-8")):
                names.add(match.group(1) or match.group(2))
    return names


def test_every_variable_is_in_env_example_and_the_readme_table():
    # Given the variables the settings and apps read
    names = variables_read_by_the_code()
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT"} <= names
    # Then .env.example and the README's table both list each of them
    env_example = set(
        re.findall(r"^([A-Z][A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M)
    )
    readme_rows = [
        line for line in (BASE_DIR / "README.md").read_text().splitlines() if line.startswith("| `")
    ]
    readme = {
        name
        for row in readme_rows
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])
    }
    undocumented = sorted(names - env_example)
    assert not undocumented, f"add to .env.example: {', '.join(undocumented)}"
    untabled = sorted(names - readme)
    assert not untabled, f"add to the README's variables table: {', '.join(untabled)}"
